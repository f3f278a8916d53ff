/*
 * Softmax / log_softmax over rows, one type: included by kernels/softmax.c
 * once for float and once for double with
 *   T (scalar), V (vf | vd), N (lanes), SM(name) (type-suffixed static names),
 *   SM_EXP_FLOOR (where exp(q) is 0 at this precision), SM_ACC_* (sum).
 *
 * Algorithm, per row of logits x (masked-out positions count as -inf):
 *   m = max x                       (pass 1; NaN or +inf -> the exact rules, scalar)
 *   q_i = (x_i - m) / T             carried as hi + lo: x - m is formed on
 *                                   halves (x/2 - m/2 cannot overflow) with
 *                                   its TwoSum error, and the division by T
 *                                   is corrected by its exact residual, so
 *                                   exp(q) has no |q|-sized argument error
 *   e_i = exp(q_i)                  (pass 2; stored for softmax)
 *   S' = (count of x_i == m) - 1 + sum of the other e_i   (the max term
 *                                   excluded, accumulated in double /
 *                                   compensated)
 *   softmax:     y_i = e_i / (1 + S')                                   (pass 3)
 *   log_softmax: y_i = q_i - log1p(S')   (log1p keeps a peaked row, where
 *                                   S' is tiny, exact: log(1 + S') would lose it)
 * Special rows: any NaN -> all NaN; +inf present -> the +inf positions share
 * the mass equally (1/k, or -log k), the rest 0 (-inf); nothing finite (all
 * -inf or all masked) -> zeros (softmax) / -inf (log_softmax).
 */

/* ---------------- scalar row (any strides; special rows) ---------------- */
static void SM(row_scalar)(const ac_softmax_job *j, ac_len r)
{
    const char *xr = j->x + r * j->x_rs;
    const uint8_t *mr = j->mask ? j->mask + r * j->m_rs : NULL;
    char *yr = j->y + r * j->y_rs;
    const ac_len n = j->n;
#define SM_X(k) ((double)*(const T *)(xr + (k) * j->x_ks))
#define SM_VALID(k) (mr == NULL || mr[(k) * j->m_ks] != 0)
#define SM_Y(k) (*(T *)(yr + (k) * j->y_ks))
    double m = -INFINITY;
    ac_len n_nan = 0, n_pinf = 0;
    for (ac_len k = 0; k < n; k++) {
        if (!SM_VALID(k)) continue;
        double v = SM_X(k);
        if (v != v) n_nan++;
        else if (v == INFINITY) n_pinf++;
        else if (v > m) m = v;
    }
    if (n_nan) {
        for (ac_len k = 0; k < n; k++) SM_Y(k) = (T)NAN;
        return;
    }
    if (n_pinf) {
        double share = j->log ? -log((double)n_pinf) : 1.0 / (double)n_pinf;
        for (ac_len k = 0; k < n; k++)
            SM_Y(k) = (T)(SM_VALID(k) && SM_X(k) == INFINITY ? share : (j->log ? -INFINITY : 0.0));
        return;
    }
    if (m == -INFINITY) {
        for (ac_len k = 0; k < n; k++) SM_Y(k) = (T)(j->log ? -INFINITY : 0.0);
        return;
    }
    /* long double where it is wider than double (x86-64 Linux) keeps this
     * path at least as accurate as the vector one */
    double s_rest = 0.0, c = 0.0;
    ac_len n_max = 0;
    for (ac_len k = 0; k < n; k++) {
        if (!SM_VALID(k)) continue;
        double v = SM_X(k);
        if (v == m) { n_max++; continue; }
        double e = (double)expl(((long double)v - m) / j->temperature);
        double t = s_rest + e; /* Neumaier */
        c += fabs(s_rest) >= fabs(e) ? (s_rest - t) + e : (e - t) + s_rest;
        s_rest = t;
    }
    double sprime = (double)(n_max - 1) + (s_rest + c);
    double L = log1p(sprime), inv = 1.0 / (1.0 + sprime);
    for (ac_len k = 0; k < n; k++) {
        if (!SM_VALID(k)) { SM_Y(k) = (T)(j->log ? -INFINITY : 0.0); continue; }
        long double q = ((long double)SM_X(k) - m) / j->temperature;
        SM_Y(k) = (T)(j->log ? (double)(q - L) : (double)expl(q) * inv);
    }
#undef SM_X
#undef SM_VALID
#undef SM_Y
}

/* q = (x - m)/T as hi + lo (see top); x finite.  hm = m/2; T = t + tl (the
 * temperature is a double: float kernels carry it as a pair), invT ~ 1/T.
 * floor2 bounds (x - m)/2 from below (-inf: no bound): the exp pass clamps
 * there, where exp(q) is already 0, so no product can overflow. */
AC_INLINE V SM(quotient)(V x, V hm, V t, V tl, V invt, int unit_t, V floor2, V *lo)
{
    V a = AC_OP(V, mul)(x, AC_OP(V, set1)((T)0.5));
    V s = AC_OP(V, sub)(a, hm);                  /* (x - m)/2, rounded */
    V bb = AC_OP(V, sub)(s, a);                  /* TwoSum(a, -hm) error */
    V err = AC_OP(V, add)(AC_OP(V, sub)(a, AC_OP(V, sub)(s, bb)),
                          AC_OP(V, sub)(AC_OP(V, neg)(hm), bb));
    AC_M(V) clamped = AC_OP(V, lt)(s, floor2);
    s = AC_OP(V, max)(s, floor2);
    err = AC_OP(V, select)(clamped, AC_OP(V, zero)(), err); /* a clamped lane's error is meaningless */
    if (unit_t) {
        *lo = AC_OP(V, add)(err, err);
        return AC_OP(V, add)(s, s);
    }
    V q = AC_OP(V, mul)(s, invt);
    /* q beyond the range (small T, log pass: no floor): q alone is the
     * answer (-inf); its residual would be inf and raise a spurious invalid */
    AC_M(V) over = AC_OP(V, isspecial)(q);
    V qf = AC_OP(V, select)(over, AC_OP(V, zero)(), q);
    V r = AC_OP(V, add)(AC_OP(V, residual)(qf, t, s), AC_OP(V, nmuladd)(qf, tl, err)); /* s + err - q*T */
    V ql = AC_OP(V, mul)(AC_OP(V, select)(over, AC_OP(V, zero)(), r), invt);
    *lo = AC_OP(V, add)(ql, ql);
    return AC_OP(V, add)(q, q);
}

/* Lanes of x[0..N) (contiguous) with masked-out or past-the-end lanes = -inf. */
AC_INLINE V SM(load_row)(const T *x, const uint8_t *mask, ac_len mks, ac_len avail)
{
    T buf[N];
    for (int l = 0; l < N; l++)
        buf[l] = l < avail && (mask == NULL || mask[l * mks] != 0) ? x[l] : (T)-INFINITY;
    return AC_OP(V, load)(buf);
}

/* ---------------- row along contiguous memory ---------------- */
static void SM(row_contig)(const ac_softmax_job *j, ac_len r)
{
    const T *x = (const T *)(j->x + r * j->x_rs);
    const uint8_t *mask = j->mask ? j->mask + r * j->m_rs : NULL;
    T *y = (T *)(j->y + r * j->y_rs);
    const ac_len n = j->n, mks = j->m_ks;
    const V ninf = AC_OP(V, set1)((T)-INFINITY), pinf = AC_OP(V, set1)((T)INFINITY);
    /* a mask that is all-true with stride 0 is no mask */
    if (mask && mks == 0 && mask[0] != 0) mask = NULL;
    if (mask && mks == 0) { /* all masked out */
        for (ac_len k = 0; k < n; k++) y[k] = (T)(j->log ? -INFINITY : 0.0);
        return;
    }

    /* pass 1: max, and whether the row needs the exact special rules */
    V vm = ninf;
    AC_M(V) special = AC_OP(V, isnan)(ninf); /* all false */
    ac_len k = 0;
    for (; k + N <= n && mask == NULL; k += N) {
        V v = AC_OP(V, load)(x + k);
        AC_M(V) nan = AC_OP(V, isnan)(v);
        special = AC_CAT(AC_M(V), _or)(special, AC_CAT(AC_M(V), _or)(nan, AC_OP(V, eq)(v, pinf)));
        vm = AC_OP(V, max)(vm, AC_OP(V, select)(nan, ninf, v)); /* max with a NaN raises "invalid" */
    }
    for (; k < n; k += N) {
        V v = SM(load_row)(x + k, mask ? mask + k * mks : NULL, mks, n - k);
        AC_M(V) nan = AC_OP(V, isnan)(v);
        special = AC_CAT(AC_M(V), _or)(special, AC_CAT(AC_M(V), _or)(nan, AC_OP(V, eq)(v, pinf)));
        vm = AC_OP(V, max)(vm, AC_OP(V, select)(nan, ninf, v));
    }
    T m = AC_OP(V, reduce_max)(vm);
    if (AC_ANY(V)(special) || m == (T)-INFINITY) {
        SM(row_scalar)(j, r);
        return;
    }

    /* pass 2: e = exp(q); S' over the non-max entries; count of max entries.
     * e is formed scaled by 2^SM_SCALE (normal down to q = SM_EXP_FLOOR, below
     * which it is taken as 0), summed unscaled-free and rescaled once at the
     * end: no term underflows (a spurious flag when every output is normal),
     * and softmax's stored e only meets 2^-SM_SCALE in its final product. */
    const int unit_t = j->temperature == 1.0;
    const V t = AC_OP(V, set1)((T)j->temperature), invt = AC_OP(V, set1)((T)(1.0 / j->temperature));
    const V tl = AC_OP(V, set1)((T)(j->temperature - (double)(T)j->temperature));
    const V hm = AC_OP(V, set1)(m * (T)0.5), vmax = AC_OP(V, set1)(m);
    double f2 = SM_EXP_FLOOR * 0.5 * j->temperature;
    const V floor2 = AC_OP(V, set1)((T)(f2 < -SM_T_MAX ? -SM_T_MAX : f2));
    const V floor = AC_OP(V, set1)((T)SM_EXP_FLOOR), scale = AC_OP(V, set1)((T)SM_SCALE);
    const V nofloor = ninf, lowest = AC_OP(V, set1)((T)-SM_T_MAX);
    SM_ACC_DECL(acc);
    ac_len n_max = 0;
    for (k = 0; k < n; k += N) {
        ac_len avail = n - k;
        V v = (avail >= N && mask == NULL) ? AC_OP(V, load)(x + k)
                                           : SM(load_row)(x + k, mask ? mask + k * mks : NULL, mks, avail);
        /* -inf (and masked) lanes become -max_finite: the halved difference
         * stays finite and lands below the floor, so their e is 0 */
        V ql, q = SM(quotient)(AC_OP(V, max)(v, lowest), hm, t, tl, invt, unit_t, floor2, &ql);
        q = AC_OP(V, max)(q, floor);
        V pl, nn, pe = AC_OP(V, exp_parts)(q, ql, &pl, &nn);
        V es = AC_OP(V, scale2)(pe, AC_OP(V, add)(nn, scale));
        es = AC_OP(V, select)(AC_OP(V, le)(q, floor), AC_OP(V, zero)(), es);
        AC_M(V) is_max = AC_OP(V, eq)(v, vmax);
        SM_COUNT(n_max, is_max, avail);
        SM_ACC_ADD(acc, AC_OP(V, select)(is_max, AC_OP(V, zero)(), es));
        if (!j->log) {
            if (avail >= N) AC_OP(V, store)(y + k, es);
            else {
                T buf[N];
                AC_OP(V, store)(buf, es);
                for (ac_len l = 0; l < avail; l++) y[k + l] = buf[l];
            }
        }
    }
    double sprime = (double)(n_max - 1) + SM_ACC_TOTAL(acc) * SM_UNSCALE;

    /* pass 3 */
    if (!j->log) {
        const T inv = (T)(SM_UNSCALE / (1.0 + sprime));
        const V vinv = AC_OP(V, set1)(inv);
        for (k = 0; k + N <= n; k += N) AC_OP(V, store)(y + k, AC_OP(V, mul)(AC_OP(V, load)(y + k), vinv));
        for (; k < n; k++) y[k] = y[k] * inv;
        return;
    }
    double L = log1p(sprime);
    const V lh = AC_OP(V, set1)((T)L), ll = AC_OP(V, set1)((T)(L - (double)(T)L));
    for (k = 0; k < n; k += N) {
        ac_len avail = n - k;
        V v = (avail >= N && mask == NULL) ? AC_OP(V, load)(x + k)
                                           : SM(load_row)(x + k, mask ? mask + k * mks : NULL, mks, avail);
        AC_M(V) gone = AC_OP(V, eq)(v, ninf);
        V vs = AC_OP(V, select)(gone, vmax, v); /* keep the arithmetic finite */
        V ql, q = SM(quotient)(vs, hm, t, tl, invt, unit_t, nofloor, &ql);
        V out = AC_OP(V, add)(AC_OP(V, sub)(q, lh), AC_OP(V, sub)(ql, ll));
        out = AC_OP(V, select)(gone, ninf, out);
        if (avail >= N) AC_OP(V, store)(y + k, out);
        else {
            T buf[N];
            AC_OP(V, store)(buf, out);
            for (ac_len l = 0; l < avail; l++) y[k + l] = buf[l];
        }
    }
}


#ifdef SM_F32_FAST
/* ================================================================== */
/* float32 fast path: contiguous row, no mask, temperature 1          */
/* ================================================================== */
/*
 * Same numerics as above, computed in float vectors:
 *   d + dl = x - m exactly (TwoSum), for x >= m - 120 (lower x clamp to
 *   m - 120 and count as 0: e^-120 < 2^-173 is below any float result);
 *   e = e^(d + dl) * 2^64: the table-driven exp of vmath.h (vf_expt_parts:
 *   P within ~0.1 u of the unscaled result, the correction dl fed into its
 *   reduction) on FMA ISAs, vf_exp_parts (< 1 u) on SSE2; the 2^64 keeps
 *   every kept e normal (2^64 e^-120 > 2^-110), so no underflow flag;
 *   S' = (count of x == m) - 1 + sum of the other e, accumulated in double
 *   (each vector widened); for softmax each pair of float e is first added
 *   in float (one rounding, <= 2^-24 relative: it moves y by at most
 *   2^-24 relative, as the factor's own rounding does), for log_softmax not
 *   (L = log1p(S') enters y undamped).
 *   softmax: y = e * (2^-64 / (1 + S')) (factor rounded once to float):
 *   e 0.6 u + factor 0.5 u + product 0.5 u + sum < 0.1 u: < 1.7 u.
 *   log_softmax: y = (d - lh) + (dl - ll), L = log1p(S') = lh + ll.
 * Preconditions checked per row (else the general path above runs): no NaN
 * or +inf, and |m| < 2^20 so that m - 120 is formed to within 2^-4, x - m
 * cannot overflow, and x - m is never a nonzero below 2^-40 in magnitude
 * unless m = 0 (then d = x exactly and e^x rounds to 1 without a flag).
 *
 * Long rows (over SM32_CHUNK elements) go by L1-resident chunks: each
 * chunk gets its own max m_c and its sum of e relative to m_c (both passes
 * over the chunk while it is hot, nothing stored); S' combines the chunks'
 * sums scaled by e^(m_c - m) in double; then one output pass over the row
 * recomputes e with the row's max (softmax) or forms x - m - L (log_softmax).
 * A long row thus reads x twice from memory and writes y once.
 */
#define SM32_CHUNK 4096
#define SM32_MAX_CHUNKS 256
#define SM32_M_LIMIT 0x1p20f
#define SM32_FLOOR 120.0f

/* Quiet running max (NaN lanes are never taken, and no compare signals) and
 * the NaN-or-+inf lanes, one compare each where the ISA has the unordered
 * "not less than" predicate. */
#if defined(AC_ISA_AVX512)
AC_INLINE vf sm32_qmax(vf m, vf v) { return _mm512_mask_mov_ps(m, _mm512_cmp_ps_mask(m, v, _CMP_LT_OQ), v); }
AC_INLINE mf sm32_special(vf v) { return _mm512_cmp_ps_mask(v, _mm512_set1_ps(INFINITY), _CMP_NLT_UQ); }
#elif defined(AC_ISA_AVX2)
AC_INLINE vf sm32_qmax(vf m, vf v) { return _mm256_blendv_ps(m, v, _mm256_cmp_ps(m, v, _CMP_LT_OQ)); }
AC_INLINE mf sm32_special(vf v) { return _mm256_cmp_ps(v, _mm256_set1_ps(INFINITY), _CMP_NLT_UQ); }
#else
AC_INLINE vf sm32_qmax(vf m, vf v) { return vf_max(m, vf_select(vf_isnan(v), m, v)); }
AC_INLINE mf sm32_special(vf v) { return mf_or(vf_isnan(v), vf_eq(v, vf_set1(INFINITY))); }
#endif

/* Non-temporal store (p aligned to the vector size): the output of a row
 * far larger than the caches goes straight to memory instead of being read
 * in first (a third less memory traffic for a long row). */
#if defined(AC_ISA_AVX512)
AC_INLINE void sm32_store_nt(float *p, vf v) { _mm512_stream_ps(p, v); }
AC_INLINE void sm32_fence(void) { _mm_sfence(); }
#elif defined(AC_ISA_AVX2)
AC_INLINE void sm32_store_nt(float *p, vf v) { _mm256_stream_ps(p, v); }
AC_INLINE void sm32_fence(void) { _mm_sfence(); }
#elif defined(AC_ISA_SSE2)
AC_INLINE void sm32_store_nt(float *p, vf v) { _mm_stream_ps(p, v); }
AC_INLINE void sm32_fence(void) { _mm_sfence(); }
#else
AC_INLINE void sm32_store_nt(float *p, vf v) { vf_store(p, v); }
AC_INLINE void sm32_fence(void) {}
#endif
#define SM32_NT_MIN ((ac_len)1 << 18) /* 1 MB rows and up */
AC_INLINE int sm32_use_nt(const float *y, ac_len n)
{
    return n >= SM32_NT_MIN && ((uintptr_t)y % (VF_N * sizeof(float))) == 0;
}

/* e^(d + dl) * 2^64 for d in [-121, 0], |dl| <= ulp(d)/2 (see above). */
AC_INLINE vf sm32_exp64(vf d, vf dl)
{
#ifdef AC_EXPF_TABLE
    vf Pl, s, P = vf_expt_parts(d, dl, 1, 0, &Pl, &s);
    s = vf_add(s, vf_set1(64.0f)); /* exact: s is a multiple of 2^-4 below 2^8 */
#ifdef AC_HAVE_SCALEF
    return vf_scale2(P, s); /* scalef floors s */
#else
    return vf_mul(P, vf_pow2i(vf_floor(s))); /* floor(s) in [-110, 64]: a normal power */
#endif
#else
    vf n, pl, p = vf_exp_parts(d, dl, &pl, &n);
    return vf_scale2(p, vf_add(n, vf_set1(64.0f)));
#endif
}

/* x - m = d + *dl exactly, x finite, nm = -m.  mode 0: TwoSum (any x);
 * mode 1: Fast2Sum with -m first, valid when |x| <= |m| (m > 0 and
 * x >= -m); mode 2: Fast2Sum with x first, valid when |x| >= |m| (every
 * x <= m <= 0).  The row's max and min pick the mode (sm32_mode). */
AC_INLINE vf sm32_diff(vf x, vf vm, vf nm, vf *dl, const int mode)
{
    vf d = vf_sub(x, vm);
    if (mode == 1) {
        *dl = vf_sub(x, vf_add(d, vm));
    } else if (mode == 2) {
        *dl = vf_sub(nm, vf_sub(d, x));
    } else {
        vf bb = vf_sub(d, x);
        *dl = vf_add(vf_sub(x, vf_sub(d, bb)), vf_sub(nm, bb));
    }
    return d;
}

/* The exactness mode for a row (or chunk) with max m and min mn of the
 * values that enter the difference (x clamped below at m - SM32_FLOOR when
 * clamped, so m >= SM32_FLOOR/2 makes every |x| <= m). */
static int sm32_mode(float m, float mn, int clamped)
{
    if (m <= 0.0f) return 2;
    if (mn >= -m || (clamped && m >= 0.5f * SM32_FLOOR)) return 1;
    return 0;
}

/* Max of x[0..n) and whether it holds NaN or +inf (returns 1 then).
 * AVX-512: per vector one masked compare that keeps "every lane so far is
 * ordered" (a NaN lane drops out of its mask for good) and one max masked
 * by it (masked-off lanes raise nothing), four independent chains; +inf
 * shows up as the max.  Elsewhere a quiet max and a NaN-or-+inf test. */
static int sm32_chunk_max(const float *x, ac_len n, float *out, float *outmin)
{
    const vf ninf = vf_set1(-INFINITY);
    vf m0 = ninf, m1 = ninf, m2 = ninf, m3 = ninf;
    ac_len k = 0;
#if defined(AC_ISA_AVX512)
    const vf pinf = vf_set1(INFINITY);
    vf n0 = pinf, n1 = pinf, n2 = pinf, n3 = pinf;
    __mmask16 o0 = 0xffff, o1 = 0xffff, o2 = 0xffff, o3 = 0xffff;
    for (; k + 4 * VF_N <= n; k += 4 * VF_N) {
        vf a = vf_load(x + k), b = vf_load(x + k + VF_N);
        vf c = vf_load(x + k + 2 * VF_N), d = vf_load(x + k + 3 * VF_N);
        o0 = _mm512_mask_cmp_ps_mask(o0, a, a, _CMP_ORD_Q);
        o1 = _mm512_mask_cmp_ps_mask(o1, b, b, _CMP_ORD_Q);
        o2 = _mm512_mask_cmp_ps_mask(o2, c, c, _CMP_ORD_Q);
        o3 = _mm512_mask_cmp_ps_mask(o3, d, d, _CMP_ORD_Q);
        m0 = _mm512_mask_max_ps(m0, o0, m0, a);
        m1 = _mm512_mask_max_ps(m1, o1, m1, b);
        m2 = _mm512_mask_max_ps(m2, o2, m2, c);
        m3 = _mm512_mask_max_ps(m3, o3, m3, d);
        n0 = _mm512_mask_min_ps(n0, o0, n0, a);
        n1 = _mm512_mask_min_ps(n1, o1, n1, b);
        n2 = _mm512_mask_min_ps(n2, o2, n2, c);
        n3 = _mm512_mask_min_ps(n3, o3, n3, d);
    }
    mf sp = (mf)~(o0 & o1 & o2 & o3);
    for (; k < n; k += VF_N) {
        ac_len avail = n - k;
        __mmask16 lanes = avail >= VF_N ? (__mmask16)0xffff : (__mmask16)((1u << avail) - 1);
        vf a = _mm512_maskz_loadu_ps(lanes, x + k);
        __mmask16 ok = _mm512_mask_cmp_ps_mask(lanes, a, a, _CMP_ORD_Q);
        sp |= (mf)(lanes & ~ok);
        m0 = _mm512_mask_max_ps(m0, ok, m0, a);
        n0 = _mm512_mask_min_ps(n0, ok, n0, a);
    }
    if (mf_any(sp)) return 1;
    *outmin = _mm512_reduce_min_ps(_mm512_min_ps(_mm512_min_ps(n0, n1), _mm512_min_ps(n2, n3)));
#else
    mf sp = vf_isnan(ninf); /* all false */
    for (; k + 4 * VF_N <= n; k += 4 * VF_N) {
        vf a = vf_load(x + k), b = vf_load(x + k + VF_N);
        vf c = vf_load(x + k + 2 * VF_N), d = vf_load(x + k + 3 * VF_N);
        sp = mf_or(sp, mf_or(mf_or(sm32_special(a), sm32_special(b)), mf_or(sm32_special(c), sm32_special(d))));
        m0 = sm32_qmax(m0, a);
        m1 = sm32_qmax(m1, b);
        m2 = sm32_qmax(m2, c);
        m3 = sm32_qmax(m3, d);
    }
    for (; k + VF_N <= n; k += VF_N) {
        vf a = vf_load(x + k);
        sp = mf_or(sp, sm32_special(a));
        m0 = sm32_qmax(m0, a);
    }
    if (k < n) {
        float buf[VF_N];
        for (int l = 0; l < VF_N; l++) buf[l] = k + l < n ? x[k + l] : -INFINITY;
        vf a = vf_load(buf);
        sp = mf_or(sp, sm32_special(a));
        m0 = sm32_qmax(m0, a);
    }
    if (mf_any(sp)) return 1;
    *outmin = -INFINITY; /* not tracked here: the exact TwoSum unless m <= 0 */
#endif
    float m = vf_reduce_max(vf_max(vf_max(m0, m1), vf_max(m2, m3)));
    if (m == INFINITY) return 1;
    *out = m;
    return 0;
}

/* One vector of the exp pass: e (scaled, 0 below the floor) returned, the
 * sum's term (e with the lanes equal to the max zeroed) in *term and those
 * lanes in *is_max. */
AC_INLINE vf sm32_exp_lane(vf v, vf vm, vf nm, vf fl, vf *term, mf *is_max, const int mode)
{
    mf keep = vf_ge(v, fl);
    vf xc = vf_max(v, fl), dl;
    vf d = sm32_diff(xc, vm, nm, &dl, mode);
    vf e = vf_select(keep, sm32_exp64(d, dl), vf_zero());
    *is_max = vf_eq(v, vm);
    *term = vf_select(*is_max, vf_zero(), e);
    return e;
}

/* count of max lanes: a float vector on AVX-512 (one masked add, exact up
 * to 2^24 per lane), popcounts elsewhere */
#if defined(AC_ISA_AVX512)
#define SM32_CNT_DECL vf cntv_ = vf_zero()
#define SM32_CNT_ADD(m) (cntv_ = _mm512_mask_add_ps(cntv_, (m), cntv_, _mm512_set1_ps(1.0f)))
#define SM32_CNT_TOTAL ((ac_len)_mm512_reduce_add_ps(cntv_))
#else
#define SM32_CNT_DECL ac_len cnt_ = 0
#define SM32_CNT_ADD(m) (cnt_ += AC_POPCOUNT_F(m))
#define SM32_CNT_TOTAL cnt_
#endif

#if VF_N == VD_N
#define SM32_WIDEN_ADD(a0, a1, t) (a0 = vd_add(a0, (double)(t)))
#else
#define SM32_WIDEN_ADD(a0, a1, t)                                                           \
    do {                                                                                   \
        vd lo_, hi_;                                                                       \
        vf_widen(t, &lo_, &hi_);                                                           \
        a0 = vd_add(a0, lo_);                                                              \
        a1 = vd_add(a1, hi_);                                                              \
    } while (0)
#endif

/* x[k..k+N) with lanes past n = fill */
AC_INLINE vf sm32_load_tail(const float *x, ac_len avail, float fill)
{
    float buf[VF_N];
    for (int l = 0; l < VF_N; l++) buf[l] = l < avail ? x[l] : fill;
    return vf_load(buf);
}
AC_INLINE void sm32_store_tail(float *y, ac_len avail, vf v)
{
    float buf[VF_N];
    vf_store(buf, v);
    for (ac_len l = 0; l < avail; l++) y[l] = buf[l];
}

/* Exp pass over x[0..n) with max m (finite, |m| < 2^20): stores e to y
 * unless y is NULL; returns the sum of the non-max e (scaled by 2^64) and
 * adds the count of max entries to *cnt. */
AC_INLINE double sm32_chunk_exp_m(const float *x, float *y, ac_len n, float m, ac_len *cnt, const float *pfx,
                                  float *pfy, const int mode, const int store)
{
    const vf vm = vf_set1(m), nm = vf_set1(-m), fl = vf_set1(m - SM32_FLOOR);
    vd a0 = vd_zero(), a1 = vd_zero();
    SM32_CNT_DECL;
    ac_len k = 0;
    for (; k + 2 * VF_N <= n; k += 2 * VF_N) {
        vf ta, tb;
        mf ma, mb;
        vf ea = sm32_exp_lane(vf_load(x + k), vm, nm, fl, &ta, &ma, mode);
        vf eb = sm32_exp_lane(vf_load(x + k + VF_N), vm, nm, fl, &tb, &mb, mode);
        SM32_CNT_ADD(ma);
        SM32_CNT_ADD(mb);
        if (pfx && (k & 31) == 0) { /* the next row: two lines of x and of y per 32 elements */
            __builtin_prefetch(pfx + k, 0, 3);
            __builtin_prefetch(pfx + k + 16, 0, 3);
            __builtin_prefetch(pfy + k, 1, 3);
            __builtin_prefetch(pfy + k + 16, 1, 3);
        }
        if (store) {
            vf_store(y + k, ea);
            vf_store(y + k + VF_N, eb);
            SM32_WIDEN_ADD(a0, a1, vf_add(ta, tb));
        } else { /* log_softmax: L = log1p(S') enters y directly, so no float pair sums */
            SM32_WIDEN_ADD(a0, a1, ta);
            SM32_WIDEN_ADD(a0, a1, tb);
        }
    }
    for (; k < n; k += VF_N) {
        ac_len avail = n - k < VF_N ? n - k : VF_N;
        vf t;
        mf mm;
        vf e = sm32_exp_lane(sm32_load_tail(x + k, avail, -INFINITY), vm, nm, fl, &t, &mm, mode);
        SM32_CNT_ADD(mm);
        if (store) sm32_store_tail(y + k, avail, e);
        SM32_WIDEN_ADD(a0, a1, t);
    }
    *cnt += SM32_CNT_TOTAL;
#if VF_N == VD_N
    return vd_reduce_add(a0);
#else
    return vd_reduce_add(vd_add(a0, a1));
#endif
}
static double sm32_chunk_exp(const float *x, float *y, ac_len n, float m, float mn, ac_len *cnt, const float *pfx,
                             float *pfy)
{
    const int mode = sm32_mode(m, mn, 1);
    if (y) {
        if (mode == 1) return sm32_chunk_exp_m(x, y, n, m, cnt, pfx, pfy, 1, 1);
        if (mode == 2) return sm32_chunk_exp_m(x, y, n, m, cnt, pfx, pfy, 2, 1);
        return sm32_chunk_exp_m(x, y, n, m, cnt, pfx, pfy, 0, 1);
    }
    if (mode == 1) return sm32_chunk_exp_m(x, y, n, m, cnt, pfx, pfy, 1, 0);
    if (mode == 2) return sm32_chunk_exp_m(x, y, n, m, cnt, pfx, pfy, 2, 0);
    return sm32_chunk_exp_m(x, y, n, m, cnt, pfx, pfy, 0, 0);
}

/* y[0..n) *= f */
static void sm32_scale(float *y, ac_len n, float f)
{
    const vf vf_ = vf_set1(f);
    ac_len k = 0;
    for (; k + 2 * VF_N <= n; k += 2 * VF_N) {
        vf_store(y + k, vf_mul(vf_load(y + k), vf_));
        vf_store(y + k + VF_N, vf_mul(vf_load(y + k + VF_N), vf_));
    }
    for (; k < n; k++) y[k] *= f;
}

/* Softmax output pass of a long row (x no longer cache-resident): e
 * recomputed with the row's max m and scaled, y = e * f (f = 2^-64/(1 + S')),
 * so x is read twice from memory and y written once; the same operations
 * per element as the stored-e path. */
AC_INLINE void sm32_exp_out_m(const float *x, float *y, ac_len n, float m, float f, const int mode)
{
    const vf vm = vf_set1(m), nm = vf_set1(-m), fl = vf_set1(m - SM32_FLOOR), vfac = vf_set1(f);
    ac_len k = 0;
    vf t;
    mf mm;
    if (sm32_use_nt(y, n)) {
        for (; k + VF_N <= n; k += VF_N)
            sm32_store_nt(y + k, vf_mul(sm32_exp_lane(vf_load(x + k), vm, nm, fl, &t, &mm, mode), vfac));
        sm32_fence();
    }
    for (; k + VF_N <= n; k += VF_N)
        vf_store(y + k, vf_mul(sm32_exp_lane(vf_load(x + k), vm, nm, fl, &t, &mm, mode), vfac));
    if (k < n) {
        vf e = sm32_exp_lane(sm32_load_tail(x + k, n - k, -INFINITY), vm, nm, fl, &t, &mm, mode);
        sm32_store_tail(y + k, n - k, vf_mul(e, vfac));
    }
}
static void sm32_exp_out(const float *x, float *y, ac_len n, float m, float mn, float f)
{
    switch (sm32_mode(m, mn, 1)) {
    case 1: sm32_exp_out_m(x, y, n, m, f, 1); break;
    case 2: sm32_exp_out_m(x, y, n, m, f, 2); break;
    default: sm32_exp_out_m(x, y, n, m, f, 0);
    }
}

/* log_softmax output pass: y = (x - m) - L with x - m exact, -inf stays -inf
 * (its lanes computed on -FLT_MAX, then replaced). */
AC_INLINE vf sm32_log_lane(vf v, vf vm, vf nm, vf lh, vf ll, const int mode)
{
    const vf ninf = vf_set1(-INFINITY);
    vf dl, d = sm32_diff(vf_max(v, vf_set1(-FLT_MAX)), vm, nm, &dl, mode);
    vf out = vf_add(vf_sub(d, lh), vf_sub(dl, ll));
    return vf_select(vf_eq(v, ninf), ninf, out);
}
AC_INLINE void sm32_log_out_m(const float *x, float *y, ac_len n, float m, double L, const int mode)
{
    const vf vm = vf_set1(m), nm = vf_set1(-m);
    const float lhs = (float)L;
    const vf lh = vf_set1(lhs), ll = vf_set1((float)(L - (double)lhs));
    ac_len k = 0;
    if (sm32_use_nt(y, n)) {
        for (; k + VF_N <= n; k += VF_N) sm32_store_nt(y + k, sm32_log_lane(vf_load(x + k), vm, nm, lh, ll, mode));
        sm32_fence();
    }
    for (; k + 2 * VF_N <= n; k += 2 * VF_N) {
        vf_store(y + k, sm32_log_lane(vf_load(x + k), vm, nm, lh, ll, mode));
        vf_store(y + k + VF_N, sm32_log_lane(vf_load(x + k + VF_N), vm, nm, lh, ll, mode));
    }
    for (; k < n; k += VF_N) {
        ac_len avail = n - k < VF_N ? n - k : VF_N;
        sm32_store_tail(y + k, avail, sm32_log_lane(sm32_load_tail(x + k, avail, 0.0f), vm, nm, lh, ll, mode));
    }
}
static void sm32_log_out(const float *x, float *y, ac_len n, float m, float mn, double L)
{
    switch (sm32_mode(m, mn, 0)) {
    case 1: sm32_log_out_m(x, y, n, m, L, 1); break;
    case 2: sm32_log_out_m(x, y, n, m, L, 2); break;
    default: sm32_log_out_m(x, y, n, m, L, 0);
    }
}

/* log1p(s) for s >= 0 finite, relative error < 2^-48 (enough for a float
 * result: L enters y = q - L with |y| >= L), without a libm call (which
 * costs as much as a 64-element row).  u = 1 + s rounded, c = its exact
 * rounding error (Fast2Sum, larger operand first); u = 2^k f with f in
 * [sqrt(1/2), sqrt(2)) (bits offset so the exponent rolls over at sqrt(2):
 * no data-dependent branch, which would mispredict row after row), f - 1
 * exact (Sterbenz);
 * log f = 2 atanh(t), t = (f - 1)/(f + 1), |t| <= 0.1716: the series
 * 2t (1 + t^2/3 + ... + t^16/17) truncates at t^18/19 < 2^-50 relative;
 * log1p(s) = k ln2 + log f + c/u (log(1 + c/u) = c/u to 2^-105). */
static double sm32_log1p(double s)
{
    double u = 1.0 + s;
    double hi = s > 1.0 ? s : 1.0, lo = s > 1.0 ? 1.0 : s; /* branch-free (maxsd/minsd) */
    double c = lo - (u - hi);
    /* u = 2^k f with f in [sqrt(1/2), sqrt(2)), without branches: offset the
     * bits so that the exponent field rolls over at f = sqrt(2) */
    uint64_t bits;
    memcpy(&bits, &u, sizeof bits);
    const uint64_t off = 0x3ff0000000000000ULL - 0x3fe6a09e667f3bcdULL; /* bits(1.0) - bits(sqrt(1/2)) */
    bits += off;
    int k = (int)(bits >> 52) - 1023;
    bits = (bits & 0x000fffffffffffffULL) + 0x3fe6a09e667f3bcdULL;
    double f;
    memcpy(&f, &bits, sizeof f);
    double t = (f - 1.0) / (f + 1.0), t2 = t * t, t4 = t2 * t2, t8 = t4 * t4;
    /* Estrin: short dependency chain (log1p sits on each row's critical path) */
    double a0 = 1.0 / 3 + t2 * (1.0 / 5), a1 = 1.0 / 7 + t2 * (1.0 / 9);
    double a2 = 1.0 / 11 + t2 * (1.0 / 13), a3 = 1.0 / 15 + t2 * (1.0 / 17);
    double p = (a0 + t4 * a1) + t8 * (a2 + t4 * a3);
    double lf = 2.0 * t + (2.0 * t * t2) * p;
    return (double)k * 0x1.62e42fefa39efp-1 + (lf + c / u);
}

/* Passes 1 and 2 of a row held in one chunk (n <= SM32_CHUNK): its max
 * and S'; returns 0 when the row needs the general path. */
static int sm32_single_sum(const ac_softmax_job *j, const float *x, float *y, ac_len n, float *mo, float *mno,
                           double *so, const float *pfx, float *pfy)
{
    float m, mn;
    if (sm32_chunk_max(x, n, &m, &mn)) return 0;
    if (!(fabsf(m) < SM32_M_LIMIT)) return 0; /* also m = -inf: all -inf */
    ac_len cnt = 0;
    double rest = sm32_chunk_exp(x, j->log ? NULL : y, n, m, mn, &cnt, pfx, pfy);
    *mo = m;
    *mno = mn;
    *so = (double)(cnt - 1) + rest * 0x1p-64;
    return 1;
}

/* Pass 3 of a row held in one chunk; aux = log1p(S') (log_softmax) or
 * 2^-64 / (1 + S') (softmax), from sm32_aux. */
AC_INLINE double sm32_aux(const ac_softmax_job *j, double sprime)
{
    return j->log ? sm32_log1p(sprime) : 0x1p-64 / (1.0 + sprime);
}
AC_INLINE void sm32_single_out(const ac_softmax_job *j, const float *x, float *y, ac_len n, float m, float mn,
                               double aux)
{
    if (j->log) sm32_log_out(x, y, n, m, mn, aux);
    else sm32_scale(y, n, (float)aux);
}

static int sm32_row_single(const ac_softmax_job *j, const float *x, float *y, ac_len n, const float *pfx, float *pfy)
{
    float m, mn;
    double sprime;
    if (!sm32_single_sum(j, x, y, n, &m, &mn, &sprime, pfx, pfy)) return 0;
    sm32_single_out(j, x, y, n, m, mn, sm32_aux(j, sprime));
    return 1;
}

/* Short rows go in groups: passes 1-2 of SM32_GROUP rows, then their
 * outputs, so the rows' serial tails (reductions, division, log1p) overlap
 * instead of each stalling its row. */
#define SM32_GROUP 8
#define SM32_SHORT 512
static void sm32_rows_short(const ac_softmax_job *j, ac_len r0, ac_len r1)
{
    const ac_len n = j->n;
    for (ac_len r = r0; r < r1; r += SM32_GROUP) {
        int gsz = r1 - r < SM32_GROUP ? (int)(r1 - r) : SM32_GROUP;
        float mg[SM32_GROUP], mng[SM32_GROUP];
        double sg[SM32_GROUP];
        int ok[SM32_GROUP];
        for (int i = 0; i < gsz; i++)
            ok[i] = sm32_single_sum(j, (const float *)(j->x + (r + i) * j->x_rs), (float *)(j->y + (r + i) * j->y_rs),
                                    n, &mg[i], &mng[i], &sg[i], NULL, NULL);
        for (int i = 0; i < gsz; i++) /* independent chains, side by side */
            sg[i] = ok[i] ? sm32_aux(j, sg[i]) : 0.0;
        for (int i = 0; i < gsz; i++) {
            if (ok[i])
                sm32_single_out(j, (const float *)(j->x + (r + i) * j->x_rs), (float *)(j->y + (r + i) * j->y_rs), n,
                                mg[i], mng[i], sg[i]);
            else
                SM(row_contig)(j, r + i);
        }
    }
}

/* The fast path for row r; returns 0 (nothing final written) when the row
 * needs the general path. */
/* pfx, pfy: the next row, prefetched while this one computes (a row of a
 * page or more defeats the hardware prefetcher at every row start) */
static int sm32_row_fast(const ac_softmax_job *j, ac_len r, const float *pfx, float *pfy)
{
    const float *x = (const float *)(j->x + r * j->x_rs);
    float *y = (float *)(j->y + r * j->y_rs);
    const ac_len n = j->n;
    if (n <= SM32_CHUNK) return sm32_row_single(j, x, y, n, pfx, pfy);
    ac_len csz = SM32_CHUNK;
    if (n > csz * SM32_MAX_CHUNKS) csz = ((n + SM32_MAX_CHUNKS - 1) / SM32_MAX_CHUNKS + 63) & ~(ac_len)63;
    const ac_len nch = (n + csz - 1) / csz;
    float mc[SM32_MAX_CHUNKS];
    double rest[SM32_MAX_CHUNKS];
    ac_len cnt[SM32_MAX_CHUNKS];
    float m = -INFINITY, mn = INFINITY;
    for (ac_len c = 0; c < nch; c++) {
        float mnc;
        ac_len k0 = c * csz, len = n - k0 < csz ? n - k0 : csz;
        if (sm32_chunk_max(x + k0, len, &mc[c], &mnc)) return 0;
        if (mnc < mn) mn = mnc;
        rest[c] = 0.0;
        cnt[c] = 0;
        if (mc[c] == -INFINITY) continue;
        if (!(fabsf(mc[c]) < SM32_M_LIMIT)) return 0;
        rest[c] = sm32_chunk_exp(x + k0, NULL, len, mc[c], mnc, &cnt[c], NULL, NULL);
        if (mc[c] > m) m = mc[c];
    }
    if (m == -INFINITY) return 0;
    /* S' = (max count - 1) + the rest, chunks below the max scaled by e^(m_c - m) */
    double s_at = 0.0, s_below = 0.0;
    ac_len n_at = 0;
    for (ac_len c = 0; c < nch; c++) {
        if (mc[c] == m) {
            s_at += rest[c];
            n_at += cnt[c];
        } else if (mc[c] != -INFINITY) {
            double dc = (double)mc[c] - (double)m;
            if (dc > -700.0) s_below += (rest[c] * 0x1p-64 + (double)cnt[c]) * exp(dc);
        }
    }
    double sprime = (double)(n_at - 1) + s_at * 0x1p-64 + s_below;
    if (j->log) sm32_log_out(x, y, n, m, mn, sm32_log1p(sprime));
    else sm32_exp_out(x, y, n, m, mn, (float)(0x1p-64 / (1.0 + sprime)));
    return 1;
}
#endif /* SM_F32_FAST */

void SM_EXPORT(const ac_softmax_job *j, ac_len r0, ac_len r1)
{
    int contig = j->x_ks == (ac_len)sizeof(T) && j->y_ks == (ac_len)sizeof(T);
#ifdef SM_F32_FAST
    /* no mask: NULL, or all-true with stride 0 (what the Python side passes) */
    int plain = contig && j->temperature == 1.0 &&
                (j->mask == NULL || (j->m_ks == 0 && j->m_rs == 0 && j->mask[0] != 0));
    if (plain && j->n <= SM32_SHORT) {
        sm32_rows_short(j, r0, r1);
        return;
    }
    if (plain) {
        for (ac_len r = r0; r < r1; r++)
            if (!sm32_row_fast(j, r, r + 1 < r1 ? (const float *)(j->x + (r + 1) * j->x_rs) : NULL,
                               (float *)(j->y + (r + 1) * j->y_rs)))
                SM(row_contig)(j, r);
        return;
    }
#endif
    for (ac_len r = r0; r < r1; r++) {
        if (contig) SM(row_contig)(j, r);
        else SM(row_scalar)(j, r);
    }
}
