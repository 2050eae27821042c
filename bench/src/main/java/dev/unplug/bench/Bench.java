package dev.unplug.bench;

/** What the benches share: argument parsing. Stateless. */
final class Bench {

    private Bench() {
    }

    /**
     * A whole-number argument, or its default when absent.
     *
     * @throws IllegalArgumentException when it is not a whole number from {@code min} to {@code max}
     */
    static int arg(String[] args, int index, int defaultValue, int min, int max) {
        if (args.length <= index) {
            return defaultValue;
        }
        try {
            int v = Integer.parseInt(args[index].trim());
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument " + (index + 1) + " must be a whole number from " + min
                    + " to " + max + ", not '" + args[index] + "'");
        }
    }
}
