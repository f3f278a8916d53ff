/*
 * Loop templates: turn per-vector math into exported kernels (actcore.h ABI).
 *
 * A kernel file for activation K with NPAR parameters writes, per type
 * (f32 with vf, f64 with vd):
 *
 *   AC_INLINE vf K_f32(vf x, const vf *p);               f(x), x finite
 *   AC_INLINE vf K_f32_inf(vf x, const vf *p);           f(x) in lanes where x = +-inf
 *   AC_INLINE vf K_derivative_f32(vf x, const vf *p);    f'(x), x finite
 *   AC_INLINE vf K_derivative_f32_inf(vf x, const vf *p);
 *   (and the same four with _f64 / vd)
 *
 * then `AC_FORWARD(K, NPAR)` exports ac_K_{f32,f64}_<isa> and
 * `AC_DERIVATIVES(K, NPAR)` exports ac_K_derivative_... and ac_K_backward_...
 * (grad * f'(x) in one pass); `AC_ACTIVATION(K, NPAR)` does both.
 *
 * Special values are handled here, once, so the math never sees them:
 *  - lanes holding NaN or +-inf are replaced by 0 before K_f32 runs, so the
 *    math only ever computes on finite numbers (no inf - inf, no NaN
 *    compares raising "invalid");
 *  - +-inf lanes then take K_f32_inf(x), NaN lanes return the input NaN.
 *  K_f32_inf is evaluated on every lane (NaN lanes replaced by 0), so it may
 *  only use compares, selects, sign operations and parameter arithmetic.
 * The check costs a compare, a select and a branch per vector; the branch
 * is never taken on NaN/inf-free data.
 *
 * Tails (n not a multiple of the vector width) go through a stack buffer
 * padded with copies of the last valid element (inputs and array
 * parameters alike): a padded lane computes exactly what a real lane did, so
 * it can never raise a floating-point flag a real lane did not (zero padding
 * did: softplus(0)/beta overflows for beta below 1e-38).
 */
#ifndef AC_KERNEL_TEMPLATE_H
#define AC_KERNEL_TEMPLATE_H

#include "actcore.h"
#include "vmath.h"

#define AC_CAT_(a, b) a##b
#define AC_CAT(a, b) AC_CAT_(a, b)
/* ac_<name>_<isa>: every exported symbol carries its ISA, so objects built
 * for different ISAs never share a name. */
#define AC_SYM(name) AC_CAT(AC_CAT(ac_, name), AC_CAT(_, AC_ISA_NAME))

#if defined(__GNUC__)
#define AC_UNLIKELY(c) __builtin_expect(!!(c), 0)
#else
#define AC_UNLIKELY(c) (c)
#endif

#define AC_MAX_PAR 4

/* Type-generic spellings: V is vf or vd, S its scalar type, M its mask. */
#define AC_vf_S float
#define AC_vd_S double
#define AC_vf_M mf
#define AC_vd_M md
#define AC_vf_N VF_N
#define AC_vd_N VD_N
#define AC_vf_ANY mf_any
#define AC_vd_ANY md_any
#define AC_S(V) AC_CAT(AC_, AC_CAT(V, _S))
#define AC_M(V) AC_CAT(AC_, AC_CAT(V, _M))
#define AC_N(V) AC_CAT(AC_, AC_CAT(V, _N))
#define AC_ANY(V) AC_CAT(AC_, AC_CAT(V, _ANY))
#define AC_OP(V, op) AC_CAT(V, AC_CAT(_, op))

/*
 * AC_DEFINE_MAP(SYMBOL, V, NIN, NPAR, BODY): define the exported kernel.
 * BODY reads `in_[k]` (k < NIN) and `p_[j]` (j < NPAR) and assigns `y_`.
 */
#define AC_DEFINE_MAP(SYMBOL, V, NIN, NPAR, BODY)                                          \
    void SYMBOL(ac_len n, const AC_S(V) *const *in, const AC_S(V) *const *par, int mode,    \
                AC_S(V) *out)                                                              \
    {                                                                                      \
        V p_[AC_MAX_PAR], in_[NIN], y_;                                                    \
        ac_len i = 0;                                                                      \
        p_[0] = AC_OP(V, zero)(); /* defined even when NPAR == 0 */                        \
        if (mode == AC_PAR_SCALAR) {                                                       \
            for (int j = 0; j < NPAR; j++) p_[j] = AC_OP(V, set1)(par[j][0]);              \
            for (; i + AC_N(V) <= n; i += AC_N(V)) {                                       \
                for (int k = 0; k < NIN; k++) in_[k] = AC_OP(V, load)(in[k] + i);          \
                BODY;                                                                      \
                AC_OP(V, store)(out + i, y_);                                              \
            }                                                                              \
        } else {                                                                           \
            for (; i + AC_N(V) <= n; i += AC_N(V)) {                                       \
                for (int j = 0; j < NPAR; j++) p_[j] = AC_OP(V, load)(par[j] + i);         \
                for (int k = 0; k < NIN; k++) in_[k] = AC_OP(V, load)(in[k] + i);          \
                BODY;                                                                      \
                AC_OP(V, store)(out + i, y_);                                              \
            }                                                                              \
        }                                                                                  \
        if (i < n) {                                                                       \
            AC_S(V) tin_[NIN][AC_N(V)], tpar_[AC_MAX_PAR][AC_N(V)], tout_[AC_N(V)];        \
            ac_len m = n - i;                                                              \
            for (int k = 0; k < NIN; k++) {                                                \
                for (ac_len t = 0; t < AC_N(V); t++)                                       \
                    tin_[k][t] = in[k][i + (t < m ? t : m - 1)];                           \
                in_[k] = AC_OP(V, load)(tin_[k]);                                          \
            }                                                                              \
            if (mode != AC_PAR_SCALAR) {                                                   \
                for (int j = 0; j < NPAR; j++) {                                           \
                    for (ac_len t = 0; t < AC_N(V); t++)                                   \
                        tpar_[j][t] = par[j][i + (t < m ? t : m - 1)];                     \
                    p_[j] = AC_OP(V, load)(tpar_[j]);                                      \
                }                                                                          \
            }                                                                              \
            BODY;                                                                          \
            AC_OP(V, store)(tout_, y_);                                                    \
            for (ac_len t = 0; t < m; t++) out[i + t] = tout_[t];                          \
        }                                                                                  \
    }

/* y_ = FN(x) with the special-value protocol described above.  The
 * sanitising select runs unconditionally: compilers may hoist FN above the
 * branch (its intrinsics do not count as trapping), so FN must never be able
 * to see a NaN or an infinity, even speculatively. */
#define AC_GUARDED(V, FN, x, p, y)                                                         \
    do {                                                                                   \
        AC_M(V) sp_ = AC_OP(V, isspecial)(x);                                              \
        y = FN(AC_OP(V, select)(sp_, AC_OP(V, zero)(), x), p);                             \
        if (AC_UNLIKELY(AC_ANY(V)(sp_))) {                                                 \
            AC_M(V) nan_ = AC_OP(V, isnan)(x);                                             \
            V lim_ = FN##_inf(AC_OP(V, select)(nan_, AC_OP(V, zero)(), x), p);             \
            y = AC_OP(V, select)(nan_, x, AC_OP(V, select)(sp_, lim_, y));                 \
        }                                                                                  \
    } while (0)

#define AC_BODY_UNARY(V, FN) AC_GUARDED(V, FN, in_[0], p_, y_)
/* backward: in_[0] = grad_output, in_[1] = x */
#define AC_BODY_BACKWARD(V, FN)                                                            \
    do {                                                                                   \
        V d_;                                                                              \
        AC_GUARDED(V, FN, in_[1], p_, d_);                                                 \
        y_ = AC_OP(V, mul)(in_[0], d_);                                                    \
    } while (0)

/* Export the forward kernels, float32 and float64. */
#define AC_FORWARD(K, NPAR)                                                                           \
    AC_DEFINE_MAP(AC_SYM(K##_f32), vf, 1, NPAR, AC_BODY_UNARY(vf, K##_f32))                           \
    AC_DEFINE_MAP(AC_SYM(K##_f64), vd, 1, NPAR, AC_BODY_UNARY(vd, K##_f64))

/* Export derivative and backward (grad * f'(x), one pass), float32 and float64. */
#define AC_DERIVATIVES(K, NPAR)                                                                       \
    AC_DEFINE_MAP(AC_SYM(K##_derivative_f32), vf, 1, NPAR, AC_BODY_UNARY(vf, K##_derivative_f32))     \
    AC_DEFINE_MAP(AC_SYM(K##_derivative_f64), vd, 1, NPAR, AC_BODY_UNARY(vd, K##_derivative_f64))     \
    AC_DEFINE_MAP(AC_SYM(K##_backward_f32), vf, 2, NPAR, AC_BODY_BACKWARD(vf, K##_derivative_f32))    \
    AC_DEFINE_MAP(AC_SYM(K##_backward_f64), vd, 2, NPAR, AC_BODY_BACKWARD(vd, K##_derivative_f64))

#define AC_ACTIVATION(K, NPAR) AC_FORWARD(K, NPAR) AC_DERIVATIVES(K, NPAR)

/*
 * Define the float32 math of K as its double math FN_D, rounded once at the
 * end: for functions whose float32 cancellations or argument roundings are
 * costly to avoid in float, computing in double (where a float input's
 * square or product with a float parameter is exact) keeps the result within
 * 0.5 u + (FN_D's relative error) / 2^-24.
 */
#define AC_F32_VIA_F64(NAME, NPAR, FN_D)                                                   \
    AC_INLINE vf NAME(vf x, const vf *p)                                                   \
    {                                                                                      \
        vd xl, xh, pl[AC_MAX_PAR], ph[AC_MAX_PAR];                                         \
        pl[0] = ph[0] = vd_zero();                                                         \
        vf_widen(x, &xl, &xh);                                                             \
        for (int j = 0; j < NPAR; j++) vf_widen(p[j], &pl[j], &ph[j]);                     \
        return vf_narrow(FN_D(xl, pl), FN_D(xh, ph));                                      \
    }

/* A plain n-ary map with no special-value protocol: FN(in, p) must be safe
 * (IEEE-correct, flag-correct) for every input, NaN and inf included. */
#define AC_BODY_PLAIN(FN) y_ = FN(in_, p_)
#define AC_MAP(K, NIN, NPAR)                                                               \
    AC_DEFINE_MAP(AC_SYM(K##_f32), vf, NIN, NPAR, AC_BODY_PLAIN(K##_f32))                  \
    AC_DEFINE_MAP(AC_SYM(K##_f64), vd, NIN, NPAR, AC_BODY_PLAIN(K##_f64))

#endif
