/*
 * Backward passes of softmax and log_softmax over rows (the Jacobian-vector
 * products), one read of each input per pass:
 *   softmax:      dx = y * (g - <g, y>)
 *   log_softmax:  dx = g - exp(y) * sum(g)
 * The row sum accumulates in double; for float32 the element formula runs in
 * double too (widened), so g - <g, y> is formed without rounding <g, y> to
 * float first and each result is rounded once.  Rows that are not
 * contiguous take a scalar path (double arithmetic throughout).
 */
#include "../kernel_template.h"

/* exp of a log-probability y <= 0: exact 0 below -700 (and for -inf, the
 * masked entries) without an underflow flag; NaN stays NaN. */
AC_INLINE vd exp_logprob(vd y)
{
    vd e = vd_select(vd_lt(y, vd_set1(-700.0)), vd_zero(), vd_exp(vd_max(y, vd_set1(-700.0))));
    return vd_select(vd_isnan(y), y, e);
}

/* scalar row, any strides */
#define AC_BWD_SCALAR(T, NAME)                                                             \
    static void NAME(const ac_softmax_bwd_job *j, ac_len r)                                \
    {                                                                                      \
        const char *g = j->g + r * j->g_rs, *y = j->y + r * j->y_rs;                       \
        char *o = j->out + r * j->o_rs;                                                    \
        double acc = 0.0;                                                                  \
        for (ac_len k = 0; k < j->n; k++) {                                                \
            double gk = *(const T *)(g + k * j->g_ks), yk = *(const T *)(y + k * j->y_ks); \
            acc += j->log ? gk : gk * yk;                                                  \
        }                                                                                  \
        for (ac_len k = 0; k < j->n; k++) {                                                \
            double gk = *(const T *)(g + k * j->g_ks), yk = *(const T *)(y + k * j->y_ks); \
            *(T *)(o + k * j->o_ks) = (T)(j->log ? gk - exp(yk) * acc : yk * (gk - acc));  \
        }                                                                                  \
    }
AC_BWD_SCALAR(float, bwd32_scalar)
AC_BWD_SCALAR(double, bwd64_scalar)

/* float32 rows: widen each vector to two double vectors */
static void bwd32_contig(const ac_softmax_bwd_job *j, ac_len r)
{
    const float *g = (const float *)(j->g + r * j->g_rs), *y = (const float *)(j->y + r * j->y_rs);
    float *o = (float *)(j->out + r * j->o_rs);
    const ac_len n = j->n;
    vd acc0 = vd_zero(), acc1 = vd_zero();
    ac_len k = 0;
    for (; k + VF_N <= n; k += VF_N) {
        vd gl, gh, yl, yh;
        vf_widen(vf_load(g + k), &gl, &gh);
        if (j->log) {
            acc0 = vd_add(acc0, gl);
#if VF_N != VD_N
            acc1 = vd_add(acc1, gh);
#endif
        } else {
            vf_widen(vf_load(y + k), &yl, &yh);
            acc0 = vd_muladd(gl, yl, acc0);
#if VF_N != VD_N
            acc1 = vd_muladd(gh, yh, acc1);
#endif
        }
    }
    double dot = vd_reduce_add(acc0) + (VF_N != VD_N ? vd_reduce_add(acc1) : 0.0);
    for (; k < n; k++) dot += j->log ? (double)g[k] : (double)g[k] * (double)y[k];
    const vd vdot = vd_set1(dot);
    for (k = 0; k + VF_N <= n; k += VF_N) {
        vd gl, gh, yl, yh, ol, oh;
        vf_widen(vf_load(g + k), &gl, &gh);
        vf_widen(vf_load(y + k), &yl, &yh);
        if (j->log) { /* y <= 0 (log-probabilities): exp in [0, 1] */
            ol = vd_nmuladd(exp_logprob(yl), vdot, gl);
            oh = vd_nmuladd(exp_logprob(yh), vdot, gh);
        } else {
            ol = vd_mul(yl, vd_sub(gl, vdot));
            oh = vd_mul(yh, vd_sub(gh, vdot));
        }
        vf_store(o + k, vf_narrow(ol, oh));
    }
    for (; k < n; k++)
        o[k] = (float)(j->log ? (double)g[k] - exp((double)y[k]) * dot : (double)y[k] * ((double)g[k] - dot));
}

/* float64 rows: compensated row sum */
static void bwd64_contig(const ac_softmax_bwd_job *j, ac_len r)
{
    const double *g = (const double *)(j->g + r * j->g_rs), *y = (const double *)(j->y + r * j->y_rs);
    double *o = (double *)(j->out + r * j->o_rs);
    const ac_len n = j->n;
    vd s = vd_zero(), c = vd_zero();
    ac_len k = 0;
    for (; k + VD_N <= n; k += VD_N) {
        vd gv = vd_load(g + k), lo, term;
        if (j->log) {
            term = gv;
            lo = vd_zero();
        } else {
            term = vd_two_prod(gv, vd_load(y + k), &lo);
        }
        vd t = vd_add(s, term), bp = vd_sub(t, s); /* TwoSum */
        c = vd_add(c, vd_add(vd_add(vd_sub(s, vd_sub(t, bp)), vd_sub(term, bp)), lo));
        s = t;
    }
    double dot = vd_reduce_add(s) + vd_reduce_add(c);
    for (; k < n; k++) dot += j->log ? g[k] : g[k] * y[k];
    const vd vdot = vd_set1(dot);
    for (k = 0; k + VD_N <= n; k += VD_N) {
        vd gv = vd_load(g + k), yv = vd_load(y + k);
        vd out = j->log ? vd_nmuladd(exp_logprob(yv), vdot, gv) : vd_mul(yv, vd_sub(gv, vdot));
        vd_store(o + k, out);
    }
    for (; k < n; k++) o[k] = j->log ? g[k] - exp(y[k]) * dot : y[k] * (g[k] - dot);
}

void AC_SYM(softmax_bwd_f32)(const ac_softmax_bwd_job *j, ac_len r0, ac_len r1)
{
    int contig = j->g_ks == 4 && j->y_ks == 4 && j->o_ks == 4;
    for (ac_len r = r0; r < r1; r++) {
        if (contig) bwd32_contig(j, r);
        else bwd32_scalar(j, r);
    }
}

void AC_SYM(softmax_bwd_f64)(const ac_softmax_bwd_job *j, ac_len r0, ac_len r1)
{
    int contig = j->g_ks == 8 && j->y_ks == 8 && j->o_ks == 8;
    for (ac_len r = r0; r < r1; r++) {
        if (contig) bwd64_contig(j, r);
        else bwd64_scalar(j, r);
    }
}
