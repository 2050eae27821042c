package dev.unplug.wds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParityTest {

    @Test
    void anyMissingBlocksOfAGroupAreRebuiltFromAsManyParityBlocksWhicheverTheyAre() {
        Random random = new Random(42);
        int length = 1400;
        for (int trial = 0; trial < 200; trial++) {
            int count = 1 + random.nextInt(Parity.GROUP);
            byte[][] blocks = new byte[Parity.GROUP][length];
            for (int i = 0; i < count; i++) {
                random.nextBytes(blocks[i]);
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            int m = 1 + random.nextInt(count);
            int[] missing = order.subList(0, m).stream().mapToInt(Integer::intValue).sorted().toArray();
            List<Integer> parities = new ArrayList<>();
            for (int j = 0; j < Parity.MAX_PARITY; j++) {
                parities.add(j);
            }
            Collections.shuffle(parities, random);
            int[] parityIndex = parities.subList(0, m).stream().mapToInt(Integer::intValue).toArray();
            byte[][] syndromes = new byte[m][length];
            for (int r = 0; r < m; r++) {
                Parity.encode(parityIndex[r], blocks, count, syndromes[r], length);
                for (int i = 0; i < count; i++) {
                    final int idx = i;
                    if (java.util.Arrays.stream(missing).noneMatch(x -> x == idx)) {
                        Parity.mulAdd(Parity.coefficient(parityIndex[r], i), blocks[i], syndromes[r], length);
                    }
                }
            }
            Parity.solve(missing, parityIndex, syndromes, length);
            for (int r = 0; r < m; r++) {
                assertThat(syndromes[r]).as("trial %d, block %d of %d", trial, missing[r], count)
                        .isEqualTo(blocks[missing[r]]);
            }
        }
    }

    @Test
    void theFieldArithmeticIsAField() {
        for (int a = 1; a < 256; a++) {
            assertThat(Parity.mul(a, Parity.inverse(a))).isEqualTo(1);
            assertThat(Parity.mul(a, 1)).isEqualTo(a);
            assertThat(Parity.mul(a, 0)).isZero();
        }
        assertThat(Parity.mul(0x53, 0xca)).isEqualTo(Parity.mul(0xca, 0x53));
    }
}
