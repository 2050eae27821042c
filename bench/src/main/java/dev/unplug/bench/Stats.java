package dev.unplug.bench;

import java.util.Arrays;
import java.util.Locale;

/** Percentiles and number formats shared by the figures. Stateless. */
final class Stats {

    private Stats() {
    }

    /** Sorted copy. */
    static long[] sorted(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s;
    }

    /** The p-th percentile (nearest rank) of sorted values. */
    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static long median(long[] sorted) {
        return pct(sorted, 50);
    }

    static long p99(long[] sorted) {
        return pct(sorted, 99);
    }

    /** Nanoseconds as microseconds, one decimal. */
    static String us(long nanos) {
        return String.format(Locale.ROOT, "%,.1f µs", nanos / 1000.0);
    }

    /** Nanoseconds as milliseconds, two decimals. */
    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%,.2f ms", nanos / 1e6);
    }

    /** A ratio as {@code 1.05x}. */
    static String x(double ratio) {
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
