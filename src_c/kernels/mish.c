/*
 * mish(x) = x * tanh(softplus(x)).
 * With w = 1 + e^x, tanh(log w) = (w^2 - 1)/(w^2 + 1); written per tail with
 * e = exp(-|x|) so that nothing overflows or cancels:
 *     x <= 0 (e = e^x):   ratio = e(e + 2) / (e(e + 2) + 2)
 *     x > 0  (e = e^-x):  ratio = (1 + 2e) / (1 + 2e + 2e^2)
 * mish = x * ratio; numerator and denominator are selected per lane before
 * the one division.  For x > 40 the ratio rounds to 1 (float and double), so
 * |x| is capped there and exp never underflows for positive x.
 *
 * float32 computes in double (vmath_lowprec.h exp, ~2^-33): for x >= -200
 * nothing in double comes near underflow (e^-200 = 2^-288.5, e^2 = 2^-577),
 * and below -200 the float result x e^x is 0 anyway; one final rounding:
 * ~0.5 u.
 *
 * float64: with H = 1 - ratio (no cancellation: H <= 0.4), so that H's
 * own rounding errors count for at most H/(1-H) <= 2/3 of their size,
 *     x > 0:   mish = x - x H,    H = 2e^2 / (2e(e + 1) + 1)
 *     x <= 0:  mish = X - X H,    H = e(e + 1) / (e(e + 2) + 2),  X = x e^x,
 * one division either way.  e^x underflows near x = -708 while x e^x is
 * still normal down to x = -745, so X is kept unscaled: e^x = (p + pl) 2^k
 * (vmath.h exp parts, p's rounding error pl), X 2^-k = x (p + pl) as a
 * double-double (two_prod), and the final scaling by 2^k is the only step
 * that can underflow, exactly when the result does; e itself (in H, where
 * it is negligible below 2^-100) is formed as p 2^max(k, -100).  x is
 * clamped at -1000 (result 0 either way) so that 2^k stays in vd_scale2's
 * range.  Error ~1.5 u (exp ~0.2 u, H ~2 u damped, two final roundings).
 */
#include "../kernel_template.h"
#include "../vmath_lowprec.h"

AC_INLINE vd mish_f32_half(vd x)
{
    md pos = vd_gt(x, vd_zero());
    vd xc = vd_max(x, vd_set1(-200.0));
    vd e = vd_exp_lp(vd_select(pos, vd_neg(vd_min(xc, vd_set1(40.0))), xc));
    vd two_e = vd_add(e, e);
    vd e2 = vd_add(e, vd_set1(2.0));
    vd pnum = vd_add(vd_set1(1.0), two_e);
    vd num = vd_select(pos, pnum, vd_mul(e, e2));
    vd den = vd_select(pos, vd_muladd(two_e, e, pnum), vd_muladd(e, e2, vd_set1(2.0)));
    return vd_mul(xc, vd_div(num, den));
}

AC_INLINE vf mish_f32(vf x, const vf *p)
{
    (void)p;
    vd xl, xh;
    vf_widen(x, &xl, &xh);
    return vf_narrow(mish_f32_half(xl), mish_f32_half(xh));
}
AC_INLINE vf mish_f32_inf(vf x, const vf *p) { (void)p; return vf_max(x, vf_zero()); }

AC_INLINE vd mish_f64(vd x, const vd *p)
{
    (void)p;
    md pos = vd_gt(x, vd_zero());
    vd xc = vd_max(x, vd_set1(-1000.0));
    vd a = vd_select(pos, vd_min(xc, vd_set1(40.0)), vd_neg(xc));
    /* |x| < 2^-60: e = 1 (the ratio is 0.6 to 2^-60); keeps x*pl below from
     * underflowing (pl ~ -a) */
    a = vd_select(vd_lt(a, vd_set1(0x1p-60)), vd_zero(), a);
    vd k, pl, pe = vd_exp_parts(vd_neg(a), vd_zero(), &pl, &k);
    vd e = vd_scale2(pe, vd_max(k, vd_set1(-100.0))); /* = e for x > 0 (k >= -58) */
    /* H = num/den: x > 0: 2e e / (2e (e + 1) + 1);  x <= 0: e (e + 1) / (e (e + 2) + 2) */
    vd e1 = vd_select(pos, vd_add(e, e), e);
    vd c = vd_select(pos, vd_set1(1.0), vd_set1(2.0));
    vd H = vd_div(vd_mul(e1, vd_add(e, vd_sub(c, vd_set1(1.0)))), vd_muladd(e1, vd_add(e, c), c));
    /* X = x (x > 0) or x (p + pl) (x <= 0) as Xh + Xl */
    vd xs = vd_select(pos, vd_zero(), xc);
#ifndef AC_HAVE_FMA
    /* Dekker's partial products of a product below 2^-900 could be inexact
     * subnormals: there x*p alone (one more rounding) */
    md tiny = vd_lt(vd_abs(xs), vd_set1(0x1p-900));
    vd xs_tiny = xs; /* 0 for x > 0: xc * pe could overflow there */
    xs = vd_select(tiny, vd_zero(), xs);
#endif
    vd lo, Xh = vd_two_prod(xs, pe, &lo);
    vd Xl = vd_muladd(xs, pl, lo);
#ifndef AC_HAVE_FMA
    Xh = vd_select(tiny, vd_mul(xs_tiny, pe), Xh);
#endif
    Xh = vd_select(pos, x, Xh);
    Xl = vd_select(pos, vd_zero(), Xl);
    vd y = vd_add(Xh, vd_muladd(vd_neg(Xh), H, Xl));
    return vd_scale2(y, vd_select(pos, vd_zero(), k));
}
AC_INLINE vd mish_f64_inf(vd x, const vd *p) { (void)p; return vd_max(x, vd_zero()); }

AC_FORWARD(mish, 0)

/* ---- derivative ------------------------------------------------------- */
/*
 * mish'(x) = tanh(sp) + x sech^2(sp) sigmoid(x), sp = softplus(x).  With
 * E = e^x, w = 1 + E: tanh(sp) = (w^2 - 1)/(w^2 + 1), sech^2(sp) =
 * 4w^2/(w^2 + 1)^2, sigmoid(x) = E/w; over the common denominator
 *     mish' = E P / D^2,   D = E (E + 2) + 2,
 *     P = (E + 2) D + 4x (1 + E) = E (E^2 + 4E + 2) + 4 (1 + x)(1 + E).
 * For x > -1 both terms of the second form are positive.  Below, P has a
 * single root x0 = -1.19243121..., where its two terms cancel completely:
 * there the relative error of any evaluation from E is (P's sensitivity to
 * E's relative error, 1.2) * (E's error) / |P|, P ~ 6.4 (x - x0).  Around
 * the root the kernels use instead
 *     mish'(x0 + d) = d Q(d),   d = (x - X0_HI) - X0_LO,
 * x - X0_HI exact (Sterbenz), X0_HI + X0_LO = x0 to 2^-107 relative, so d
 * and hence mish' keep full relative accuracy up to the root itself.
 * mish' = 1 + (4x - 2) e^-2x + ... rounds to 1 from x = 10.3 in float,
 * 19 in double: x is capped above that.
 */
#define MISH_X0_HI -0x1.31432c0d12d84p+0 /* fit mish_d_root_*: the root, hi + lo */
#define MISH_X0_LO -0x1.bf319154da210p-55
#define MISH_C0_LO 0x1.236a0f67ea165p-56 /* fit mish_d_root_f64: c0's rounding error */

/*
 * float32, in double, E = e^x (vd_exp_lp, 2^-33) and the formula above for
 * both signs: x is clamped to [-200, 16] (E^4 <= e^64 stays far from
 * overflow, e^-200 = 2^-288.5 from underflow; below -200 the float result,
 * ~x e^x, rounds to 0).  Away from the root E's error mostly cancels in
 * the ratio; around it the evaluation error is 2^-33 times (P's
 * sensitivity to E, 1.2)/|P| + a few 2^-53 (|P| ~ 6.4 |x - x0|): at
 * |x - x0| = 1/128, 2^-28.4 (0.05 u).  The quotient N/D^2 (D^2 in
 * [4, e^64]) is taken without a double division (the costliest
 * instruction here): r = 1/D^2 in float (2^-23 with the rounding of D^2 to
 * float), y0 = N r, then one correction y = y0 + r (N - D^2 y0): relative
 * error ~2^-46.
 * |x - x0| < 1/128 (in about 1 vector in 20 of N(0, 1) data, so the
 * branch is rarely taken): d Q(d), fit mish_d_root_for_f32 (degree 3,
 * 2^-35.1 relative).  One final rounding to float: ~0.5 u.
 */
AC_INLINE void mish_derivative_f32_parts(vd x, vd *num, vd *den)
{
    vd xc = vd_clamp(x, -200.0, 16.0);
    vd E = vd_exp_lp(xc);
    vd u = vd_add(E, vd_set1(2.0));
    vd D = vd_muladd(E, u, vd_set1(2.0));
    vd B = vd_mul(vd_mul(vd_set1(4.0), xc), vd_add(E, vd_set1(1.0)));
    *num = vd_mul(E, vd_muladd(u, D, B));
    *den = vd_mul(D, D);
}

AC_INLINE vd mish_derivative_f32_quot(vd num, vd den, vd r)
{
    vd y0 = vd_mul(num, r);
    return vd_muladd(r, vd_nmuladd(den, y0, num), y0);
}

AC_INLINE vd mish_derivative_f32_root(vd x, vd y)
{
    vd d0 = vd_sub(x, vd_set1(MISH_X0_HI));
    vd d = vd_sub(d0, vd_set1(MISH_X0_LO));
    vd q = vd_set1(-0x1.4c21ecaaf6458p-6);
    q = vd_muladd(q, d, vd_set1(0x1.574d0bae2bb08p-5));
    q = vd_muladd(q, d, vd_set1(0x1.a34a251d2cce1p-3));
    q = vd_muladd(q, d, vd_set1(0x1.115acb4270726p-2));
    return vd_select(vd_lt(vd_abs(d0), vd_set1(0x1p-7)), vd_mul(d, q), y);
}

AC_INLINE vf mish_derivative_f32(vf x, const vf *p)
{
    (void)p;
    vd xl, xh, nl, nh, dl, dh, rl, rh;
    vf_widen(x, &xl, &xh);
    mish_derivative_f32_parts(xl, &nl, &dl);
    mish_derivative_f32_parts(xh, &nh, &dh);
    vf_widen(vf_div(vf_set1(1.0f), vf_narrow(dl, dh)), &rl, &rh);
    vd yl = mish_derivative_f32_quot(nl, dl, rl);
    vd yh = mish_derivative_f32_quot(nh, dh, rh);
    /* a float pre-test (its rounding may misplace the boundary by 2^-25;
     * the general formula is accurate there too), redone in double */
    mf near = vf_lt(vf_abs(vf_sub(x, vf_set1((float)MISH_X0_HI))), vf_set1(0x1p-7f));
    if (AC_UNLIKELY(mf_any(near))) {
        yl = mish_derivative_f32_root(xl, yl);
        yh = mish_derivative_f32_root(xh, yh);
    }
    return vf_narrow(yl, yh);
}
AC_INLINE vf mish_derivative_f32_inf(vf x, const vf *p)
{
    (void)p;
    return vf_select(vf_gt(x, vf_zero()), vf_set1(1.0f), vf_zero());
}

/* double-double helpers: a + b = s + *err exactly */
AC_INLINE vd mish_two_sum(vd a, vd b, vd *err)
{
    vd s = vd_add(a, b);
    vd bb = vd_sub(s, a);
    *err = vd_add(vd_sub(a, vd_sub(s, bb)), vd_sub(b, bb));
    return s;
}
/* (ah + al)(bh + bl) = hi + *lo to ~2^-104 relative */
AC_INLINE vd mish_dd_mul(vd ah, vd al, vd bh, vd bl, vd *lo)
{
    vd l, h = vd_two_prod(ah, bh, &l);
    *lo = vd_add(l, vd_muladd(ah, bl, vd_mul(al, bh)));
    return h;
}

/*
 * float64.  e = exp(-|x|) = (p + pl) 2^k (vmath.h exp parts, p + pl good
 * to ~2^-54 relative), the e inside the bracketed terms taken as
 * eh + el = (p + pl) 2^max(k, -100) (below 2^-100 they no longer depend on
 * it; nothing in them underflows).  x is clamped to [-1000, 40].
 *  x > 0 (e = 1/E; the formula above times e^4/e^4):
 *     mish' = 1 + G, G = e^2 (4x (1 + e) - 2D)/D^2, D = 1 + 2e + 2e^2,
 *     |G| <= 0.4 (at x -> 0), so G's few-ulp error is damped by
 *     |G|/mish' <= 2/3.
 *  x <= 0 (e = E): mish' = (p + pl) 2^k P/D^2, P and D in double-double
 *     (P = 4(1 + x)(1 + e) + e(2 + e(4 + e)), D = 2 + e(2 + e)), so that
 *     P's cancellation costs only the error of e: (1.2 * 2^-54)/|P|, below
 *     0.5 u outside |x - x0| < 1/4.  The quotient is refined once by its
 *     residual and the product with p + pl rounded once; the scaling by 2^k
 *     comes last, so only a result that underflows raises the flag (x is
 *     clamped at -1000, where the result is 0, keeping k in range).
 *  |x - x0| < 1/4: d Q(d), fit mish_d_root_f64 (degree 13, 0.016 u), as
 *     d0 c0 + small terms with d0 = x - X0_HI exact and c0 a double-double:
 *     one rounding of the leading product, the rest (d (d R(d)) with
 *     |c1 d/c0| < 0.2, X0_LO and c0's low part) adds < 0.3 u.
 * |x| < 2^-60 is flushed to 0 (mish' = 0.6 + 0.8x + ...: relative change
 * below 2^-60), so no subnormal enters exp or the products.
 */
AC_INLINE vd mish_derivative_f64(vd x, const vd *p)
{
    (void)p;
    /* fit mish_d_root_f64, c0 = c[0] + MISH_C0_LO */
    static const double c[14] = {
        0x1.115acb42500bbp-2,  0x1.a34a251d8ad7bp-3,  0x1.574f121a86872p-5,  -0x1.4c222fe64d2acp-6,
        -0x1.03369d4abbd09p-6, -0x1.b87ddfb5ae9eap-9, 0x1.1e5e17fa4a50cp-10, 0x1.037991c1512f4p-10,
        0x1.0a798e1a9cbeap-12, -0x1.60006e547e2d3p-15, -0x1.d47dd27fc737fp-15, -0x1.2227d9657b0e7p-16,
        0x1.3acf500af6a48p-20, 0x1.83b1ef76f5083p-19};
    md pos = vd_gt(x, vd_zero());
    vd xc = vd_clamp(x, -1000.0, 40.0);
    xc = vd_select(vd_lt(vd_abs(xc), vd_set1(0x1p-60)), vd_zero(), xc);
    vd k, pl, pe = vd_exp_parts(vd_neg(vd_abs(xc)), vd_zero(), &pl, &k);
    vd sw = vd_pow2i(vd_max(k, vd_set1(-100.0)));
    vd eh = vd_mul(pe, sw), el = vd_mul(pl, sw); /* exact scalings */

    /* x > 0 */
    vd e2 = vd_mul(eh, eh);
    vd Dp = vd_muladd(vd_add(e2, eh), vd_set1(2.0), vd_set1(1.0));
    vd Bp = vd_mul(vd_mul(vd_set1(4.0), xc), vd_add(vd_set1(1.0), eh));
    vd G = vd_div(vd_mul(e2, vd_sub(Bp, vd_add(Dp, Dp))), vd_mul(Dp, Dp));
    vd ypos = vd_add(vd_set1(1.0), G);

    /* x <= 0: T1 = 4(1 + x)(1 + e), T2 = e (2 + e (4 + e)) */
    vd ul, uh = mish_two_sum(vd_set1(4.0), vd_mul(vd_set1(4.0), xc), &ul);
    vd vh = vd_add(vd_set1(1.0), eh);
    vd vl = vd_add(vd_add(vd_sub(vd_set1(1.0), vh), eh), el);
    vd t1l, t1h = mish_dd_mul(uh, ul, vh, vl, &t1l);
    vd wh = vd_add(vd_set1(4.0), eh);
    vd wl = vd_add(vd_add(vd_sub(vd_set1(4.0), wh), eh), el);
    vd ewl, ewh = mish_dd_mul(eh, el, wh, wl, &ewl);
    vd sl, sh = mish_two_sum(vd_set1(2.0), ewh, &sl);
    sl = vd_add(sl, ewl);
    vd t2l, t2h = mish_dd_mul(eh, el, sh, sl, &t2l);
    vd Pl, Ph = mish_two_sum(t1h, t2h, &Pl);
    Pl = vd_add(Pl, vd_add(t1l, t2l));
    /* D = 2 + e (2 + e), D^2 */
    vd zh = vd_add(vd_set1(2.0), eh);
    vd zl = vd_add(vd_add(vd_sub(vd_set1(2.0), zh), eh), el);
    vd ezl, ezh = mish_dd_mul(eh, el, zh, zl, &ezl);
    vd Dl, Dh = mish_two_sum(vd_set1(2.0), ezh, &Dl);
    Dl = vd_add(Dl, ezl);
    vd D2l, D2h = mish_dd_mul(Dh, Dl, Dh, Dl, &D2l);
    /* q = P / D^2 to ~2^-100 */
    vd qh = vd_div(Ph, D2h);
    vd r = vd_add(vd_residual(qh, D2h, Ph), vd_nmuladd(qh, D2l, Pl));
    vd ql = vd_div(r, D2h);
    vd yneg = vd_fma_accurate(pe, qh, vd_muladd(pe, ql, vd_mul(pl, qh)));
    yneg = vd_scale2(yneg, k);

    /* |x - x0| < 1/4: d0 c0 + (d0 c0l - x0l c0 + d^2 R(d)), R = (Q - c0)/d,
     * with c0 = C0 + C0L and d = d0 - x0l carried exactly into the leading
     * product, which is rounded once (the rest is < 0.2 of the result) */
    vd d0 = vd_sub(x, vd_set1(MISH_X0_HI));
    /* other lanes evaluate on a clamped d0 (no overflow of d^13) */
    vd d0c = vd_clamp(d0, -0.25, 0.25);
    vd d = vd_sub(d0c, vd_set1(MISH_X0_LO));
    vd R = vd_set1(c[13]);
    for (int j = 12; j >= 1; j--) R = vd_muladd(R, d, vd_set1(c[j]));
    vd rest = vd_muladd(d0c, vd_set1(MISH_C0_LO), vd_set1(-MISH_X0_LO * c[0]));
    rest = vd_muladd(d, vd_mul(d, R), rest);
    vd yroot = vd_fma_accurate(d0c, vd_set1(c[0]), rest);

    vd y = vd_select(pos, ypos, yneg);
    return vd_select(vd_lt(vd_abs(d0), vd_set1(0.25)), yroot, y);
}
AC_INLINE vd mish_derivative_f64_inf(vd x, const vd *p)
{
    (void)p;
    return vd_select(vd_gt(x, vd_zero()), vd_set1(1.0), vd_zero());
}

AC_DERIVATIVES(mish, 0)
