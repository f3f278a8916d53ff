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
    V r = AC_OP(V, add)(AC_OP(V, residual)(q, t, s), AC_OP(V, nmuladd)(q, tl, err)); /* s + err - q*T */
    V ql = AC_OP(V, mul)(r, invt);
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

void SM_EXPORT(const ac_softmax_job *j, ac_len r0, ac_len r1)
{
    int contig = j->x_ks == (ac_len)sizeof(T) && j->y_ks == (ac_len)sizeof(T);
    for (ac_len r = r0; r < r1; r++) {
        if (contig) SM(row_contig)(j, r);
        else SM(row_scalar)(j, r);
    }
}
