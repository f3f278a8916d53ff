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

/* float32 rows.  Pass 1 forms the row sum in double (each vector widened:
 * the products g*y are exact there and nothing underflows); pass 2 runs in
 * float with the sum as a pair dh + dl (dl = 0 when |dh| < 2^-100, where
 * it would be subnormal):
 *   softmax:     dx = y * ((g - dh) - dl).  g - dh is exact when g and dh
 *                are within a factor 2 (Sterbenz: the cancelling case),
 *                else its relative error is 2^-24 and |dl| <= 2^-23 |g - dh|;
 *                so (g - dh) - dl is within ~1 ulp of g - dot, times y:
 *                < 1.5 ulp plus what the rounding of y itself carries.
 *                Taken when |sum| <= 2^100 (dh stays a finite float).
 *   log_softmax: dx = fma(-e, dl, fma(-e, dh, g)), e = exp(y) in float (the
 *                table-driven exp of vmath.h: P within ~0.1 u; 0.6 u after
 *                rounding).  The products sit inside FMAs: exact, no flag
 *                (so only on FMA ISAs; SSE2 keeps the double path).
 *                Taken when every y <= 0 (log-probabilities; no NaN) and
 *                |sum| <= 2^20: then e is a normal float or, for y < -86
 *                (e < 2^-124), 0, dropping a term below 2^-104 in absolute
 *                value.  (At -86 the unscaled part, >= 0.7 on either exp,
 *                times 2^floor(y log2 e) >= 2^-125 is still normal: no
 *                underflow on the way.)  Other rows take the double path. */
#if VF_N > 1
/* lanes that are not <= 0 (positive or NaN), quietly */
#if defined(AC_ISA_AVX512)
AC_INLINE mf bwd32_bad(vf v) { return _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_NLE_UQ); }
#elif defined(AC_ISA_AVX2)
AC_INLINE mf bwd32_bad(vf v) { return _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_NLE_UQ); }
#else
AC_INLINE mf bwd32_bad(vf v) { return mf_or(vf_isnan(v), vf_gt(v, vf_zero())); }
#endif

#ifdef AC_EXPF_TABLE
/* e^y for y in [-86, 0] (a normal float), 0 below -86 (and for -inf) */
AC_INLINE vf bwd32_exp(vf y)
{
    mf keep = vf_ge(y, vf_set1(-86.0f));
    vf Pl, s, P = vf_expt_parts(vf_max(y, vf_set1(-86.0f)), vf_zero(), 0, 0, &Pl, &s);
#ifdef AC_HAVE_SCALEF
    vf e = vf_scale2(P, s);
#else
    vf e = vf_mul(P, vf_pow2i(vf_floor(s)));
#endif
    return vf_select(keep, e, vf_zero());
}
#else
AC_INLINE vf bwd32_exp(vf y)
{
    mf keep = vf_ge(y, vf_set1(-86.0f));
    vf n, pl, p = vf_exp_parts(vf_max(y, vf_set1(-86.0f)), vf_zero(), &pl, &n);
    return vf_select(keep, vf_scale2(p, n), vf_zero());
}
#endif
#endif

static void bwd32_contig(const ac_softmax_bwd_job *j, ac_len r)
{
    const float *g = (const float *)(j->g + r * j->g_rs), *y = (const float *)(j->y + r * j->y_rs);
    float *o = (float *)(j->out + r * j->o_rs);
    const ac_len n = j->n;
    vd acc0 = vd_zero(), acc1 = vd_zero(), acc2 = vd_zero(), acc3 = vd_zero();
#if VF_N > 1
    mf bad = vf_isnan(vf_zero()); /* all false */
#endif
    ac_len k = 0;
    for (; k + 2 * VF_N <= n; k += 2 * VF_N) {
        vd gl, gh, gl2, gh2, yl, yh, yl2, yh2;
        vf ga = vf_load(g + k), gb = vf_load(g + k + VF_N);
        vf_widen(ga, &gl, &gh);
        vf_widen(gb, &gl2, &gh2);
        if (j->log) {
            acc0 = vd_add(acc0, gl);
            acc2 = vd_add(acc2, gl2);
#if VF_N != VD_N
            acc1 = vd_add(acc1, gh);
            acc3 = vd_add(acc3, gh2);
#endif
#if VF_N > 1
            bad = mf_or(bad, mf_or(bwd32_bad(vf_load(y + k)), bwd32_bad(vf_load(y + k + VF_N))));
#endif
        } else {
            vf_widen(vf_load(y + k), &yl, &yh);
            vf_widen(vf_load(y + k + VF_N), &yl2, &yh2);
            acc0 = vd_muladd(gl, yl, acc0);
            acc2 = vd_muladd(gl2, yl2, acc2);
#if VF_N != VD_N
            acc1 = vd_muladd(gh, yh, acc1);
            acc3 = vd_muladd(gh2, yh2, acc3);
#endif
        }
    }
    double dot = vd_reduce_add(vd_add(vd_add(acc0, acc1), vd_add(acc2, acc3)));
    if (VF_N == VD_N) dot = vd_reduce_add(vd_add(acc0, acc2));
    int bad_tail = 0;
    for (; k < n; k++) {
        dot += j->log ? (double)g[k] : (double)g[k] * (double)y[k];
        bad_tail |= !(y[k] <= 0.0f);
    }
#if VF_N > 1
#ifdef AC_HAVE_FMA
    const int log_fast = !bad_tail && !mf_any(bad) && fabs(dot) <= 0x1p20;
#else /* products outside an FMA could underflow on the way: the double path */
    const int log_fast = 0;
    (void)bad_tail;
    (void)bad;
#endif
    const int fast = j->log ? log_fast : fabs(dot) <= 0x1p100; /* dh a float: no overflow */
#else
    const int fast = 0;
#endif
    if (fast) {
        const float dhs = (float)dot;
        const float dls = fabs(dot) < 0x1p-100 ? 0.0f : (float)(dot - (double)dhs);
        const vf dh = vf_set1(dhs), dl = vf_set1(dls);
        for (k = 0; k + VF_N <= n; k += VF_N) {
            vf gv = vf_load(g + k), yv = vf_load(y + k);
            vf out;
#if VF_N > 1
            if (j->log) {
                vf e = bwd32_exp(yv);
                out = vf_nmuladd(e, dl, vf_nmuladd(e, dh, gv));
            } else
#endif
                out = vf_mul(yv, vf_sub(vf_sub(gv, dh), dl));
            vf_store(o + k, out);
        }
    } else {
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
