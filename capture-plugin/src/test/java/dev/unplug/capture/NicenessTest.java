package dev.unplug.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(value = OS.LINUX, disabledReason = "setpriority on a thread id changes one thread only on Linux")
class NicenessTest {

    @Test
    void lowersOnlyTheCallingThreadToNice19() throws Exception {
        AtomicReference<String> lowered = new AtomicReference<>();
        Thread t = new Thread(() -> {
            boolean ok = Niceness.lowerThisThread();
            lowered.set(ok + " " + niceOfThisThread());
        });
        t.start();
        t.join(5_000);
        assertThat(lowered.get()).isEqualTo("true 19");
        assertThat(niceOfThisThread()).as("the caller's own priority is untouched").isNotEqualTo(19);
    }

    /** Field 19 of /proc/thread-self/stat, counted after the command name in parentheses (field 2). */
    private static int niceOfThisThread() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(after[19 - 3]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
