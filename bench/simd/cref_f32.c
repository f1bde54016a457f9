/*
 * cref_f32.c -- the anchors' compiled reference loops (../shared/anchors/stream/
 * cref_kernels.c) on float32 radiance input instead of int16 counts, for
 * BenchmarkFloatGranule's side-by-side comparison (bench/simd/run.py).
 *
 * Build (vectorised ceiling: glibc's SIMD logf needs -ffast-math):
 *     gcc -O3 -fopenmp -ffast-math -march=native -o cref_f32_fast cref_f32.c -lm
 * Run:
 *     OMP_NUM_THREADS=2 ./cref_f32_fast bt|calibrate [NTIMES]
 *
 * The input is the same 8192x8192 float32 array as BenchmarkFloatGranule's
 * (same LCG: radiance of counts 835..3080 with the synthetic granule's
 * scale and offset, 2 % NaN), generated and first-touched in parallel
 * before timing; rows are split statically over the OpenMP threads.
 *   bt:        o = (FK2 / logf(FK1 / rad + 1) - BC1) / BC2
 *   calibrate: o = x == FILL ? NaN : x * SCALE + OFFSET   (a float fill test)
 * Printed: best / median seconds per pass and an ANCHOR line with the median
 * process CPU seconds per pass (both threads; OpenMP's idle spinning, if any,
 * counts too).
 */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROWS 8192
#define COLS 8192

static const float SCALE = 0.04572892f, OFFSET = -1.6443053f, FILL = -1.0f;
static const float FK1 = 13432.1f, FK2 = 1497.61f, BC1 = 0.09102f, BC2 = 0.99971f;

static int cmp_double(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s bt|calibrate [NTIMES]\n", argv[0]); return 2; }
    int bt = strcmp(argv[1], "bt") == 0;
    if (!bt && strcmp(argv[1], "calibrate") != 0) { fprintf(stderr, "unknown kernel %s\n", argv[1]); return 2; }
    int ntimes = argc > 2 ? atoi(argv[2]) : 7;
    if (ntimes < 1) ntimes = 1;
    size_t n = (size_t)ROWS * COLS;
    float *in = aligned_alloc(64, n * 4), *out = aligned_alloc(64, n * 4);
    /* Same values as BenchmarkFloatGranule (one LCG over the whole array). */
    uint32_t x = 1;
    uint32_t nanbits = 0x7fc00000u;
    float qnan;
    memcpy(&qnan, &nanbits, 4);
    for (size_t i = 0; i < n; i++) {
        x = x * 1664525u + 1013904223u;
        int c = 835 + (int)((x >> 16) % 2246);
        in[i] = (x % 50 == 0) ? qnan : (float)c * SCALE + OFFSET;
    }
#pragma omp parallel for schedule(static)
    for (size_t r = 0; r < ROWS; r++) memset(out + r * COLS, 0, COLS * 4);
    double *t = malloc(sizeof(double) * ntimes), *cpu = malloc(sizeof(double) * ntimes);
    for (int k = 0; k < ntimes; k++) {
        clock_t c0 = clock();
        double t0 = omp_get_wtime();
#pragma omp parallel for schedule(static)
        for (size_t r = 0; r < ROWS; r++) {
            const float *a = in + r * COLS;
            float *o = out + r * COLS;
            if (bt) {
                for (size_t j = 0; j < COLS; j++) o[j] = (FK2 / logf(FK1 / a[j] + 1.0f) - BC1) / BC2;
            } else {
                for (size_t j = 0; j < COLS; j++) o[j] = (a[j] == FILL) ? qnan : a[j] * SCALE + OFFSET;
            }
        }
        t[k] = omp_get_wtime() - t0;
        cpu[k] = (double)(clock() - c0) / CLOCKS_PER_SEC; /* process CPU, all threads */
    }
    qsort(t, ntimes, sizeof(double), cmp_double);
    qsort(cpu, ntimes, sizeof(double), cmp_double);
    double med = (ntimes % 2) ? t[ntimes / 2] : 0.5 * (t[ntimes / 2 - 1] + t[ntimes / 2]);
    double medcpu = (ntimes % 2) ? cpu[ntimes / 2] : 0.5 * (cpu[ntimes / 2 - 1] + cpu[ntimes / 2]);
    double sum = 0;
    for (size_t i = 0; i < n; i += 4099) { /* bit test: isfinite() is folded away under -ffast-math */
        uint32_t u;
        memcpy(&u, &out[i], 4);
        if ((u & 0x7f800000u) != 0x7f800000u) sum += out[i];
    }
    printf("cref_f32 %s %dx%d threads=%d: best %.4fs median %.4fs (%.2f GB/s traffic, 8 B/px) check=%.6e\n",
           argv[1], ROWS, COLS, omp_get_max_threads(), t[0], med, n * 8.0 / med / 1e9, sum);
    printf("ANCHOR kernel=%s threads=%d best_s=%.5f med_s=%.5f med_cpu_s=%.5f\n", argv[1], omp_get_max_threads(), t[0], med, medcpu);
    free(t); free(cpu); free(in); free(out);
    return 0;
}
