package dev.unplug.wds;

/**
 * The repair code of a session: a systematic Reed-Solomon erasure code over GF(2^8) on groups of {@value #GROUP}
 * consecutive blocks. Parity block {@code j} of a group is {@code sum over i of c(j, i) * block_i}, bytewise, with
 * {@code c(j, i) = 1 / (x_j + y_i)}, {@code x_j = GROUP + j}, {@code y_i = i}: a Cauchy matrix, every square
 * submatrix of which is invertible, so a client missing {@code m} blocks of a group rebuilds them from any {@code m}
 * distinct parity blocks of it, whichever blocks they were. That is why repair costs about the worst client's loss
 * per group, not the union of every client's: one parity block heals a different missing block at each client.
 * Blocks shorter than the block size (the last) count as padded with zeros; a short last group has only its own
 * blocks. Up to {@value #MAX_PARITY} parity blocks per group. Stateless, thread-safe.
 */
final class Parity {

    /** Blocks per group. */
    static final int GROUP = 32;
    /** Distinct parity blocks a group can have: the field has 256 elements, {@value #GROUP} name the blocks. */
    static final int MAX_PARITY = 256 - GROUP;

    private static final byte[] EXP = new byte[512];
    private static final int[] LOG = new int[256];

    static {
        int x = 1;
        for (int i = 0; i < 255; i++) {
            EXP[i] = (byte) x;
            LOG[x] = i;
            x <<= 1;
            if ((x & 0x100) != 0) {
                x ^= 0x11d; // x^8 + x^4 + x^3 + x^2 + 1
            }
        }
        for (int i = 255; i < 512; i++) {
            EXP[i] = EXP[i - 255];
        }
    }

    private Parity() {
    }

    static int mul(int a, int b) {
        return a == 0 || b == 0 ? 0 : EXP[LOG[a] + LOG[b]] & 0xff;
    }

    static int inverse(int a) {
        if (a == 0) {
            throw new ArithmeticException("0 has no inverse");
        }
        return EXP[255 - LOG[a]] & 0xff;
    }

    /** The coefficient of block {@code i} of a group in its parity block {@code j}. */
    static int coefficient(int j, int i) {
        return inverse((GROUP + j) ^ i);
    }

    /** {@code into[0..length) ^= c * from[0..length)}, bytewise in GF(2^8). */
    static void mulAdd(int c, byte[] from, byte[] into, int length) {
        if (c == 0) {
            return;
        }
        int logC = LOG[c];
        for (int k = 0; k < length; k++) {
            int v = from[k] & 0xff;
            if (v != 0) {
                into[k] ^= EXP[logC + LOG[v]];
            }
        }
    }

    /**
     * Parity block {@code j} of a group.
     *
     * @param j the parity block's index, 0 to {@value #MAX_PARITY} - 1
     * @param blocks the group's blocks, each {@code length} bytes (zero-padded)
     * @param count how many of {@code blocks} the group has
     * @param into receives the parity block: {@code length} bytes, overwritten
     */
    static void encode(int j, byte[][] blocks, int count, byte[] into, int length) {
        java.util.Arrays.fill(into, 0, length, (byte) 0);
        for (int i = 0; i < count; i++) {
            mulAdd(coefficient(j, i), blocks[i], into, length);
        }
    }

    /**
     * Rebuilds the missing blocks of a group.
     *
     * @param missing the indices in the group of the blocks to rebuild
     * @param parityIndex the indices of as many parity blocks, distinct
     * @param syndromes each parity block with the held blocks' part taken out ({@code parity ^ sum over held of
     *        c(j, i) * block_i}); replaced by the rebuilt blocks, in the order of {@code missing}
     * @param length bytes per block
     */
    static void solve(int[] missing, int[] parityIndex, byte[][] syndromes, int length) {
        int m = missing.length;
        int[][] a = new int[m][2 * m];
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < m; c++) {
                a[r][c] = coefficient(parityIndex[r], missing[c]);
            }
            a[r][m + r] = 1;
        }
        // Gauss-Jordan: a Cauchy submatrix is never singular, so a pivot is always found
        for (int col = 0; col < m; col++) {
            int pivot = col;
            while (a[pivot][col] == 0) {
                pivot++;
            }
            int[] t = a[pivot];
            a[pivot] = a[col];
            a[col] = t;
            int inv = inverse(a[col][col]);
            for (int c = 0; c < 2 * m; c++) {
                a[col][c] = mul(a[col][c], inv);
            }
            for (int r = 0; r < m; r++) {
                if (r != col && a[r][col] != 0) {
                    int f = a[r][col];
                    for (int c = 0; c < 2 * m; c++) {
                        a[r][c] ^= mul(f, a[col][c]);
                    }
                }
            }
        }
        byte[][] rebuilt = new byte[m][length];
        for (int r = 0; r < m; r++) {
            for (int k = 0; k < m; k++) {
                mulAdd(a[r][m + k], syndromes[k], rebuilt[r], length);
            }
        }
        for (int r = 0; r < m; r++) {
            System.arraycopy(rebuilt[r], 0, syndromes[r], 0, length);
        }
    }
}
