package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code unplug probe netcon://...} from the fat jar, on a veth link in a namespace of the test's own. */
class NetconProbeIT {

    @Test
    void probeOfALinkBringsItUpThenDownAndPrintsClean() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("network namespaces need root (CI is root)");
            }
            Assumptions.abort("network namespaces need root");
        }
        String ns = "unplug-probe-" + ProcessHandle.current().pid();
        ip("netns", "add", ns);
        try {
            ip("-n", ns, "link", "add", "veth-a", "type", "veth", "peer", "name", "veth-b");
            ip("-n", ns, "link", "set", "veth-b", "up");
            UnplugJar.Result r = UnplugJar.run("probe", "netcon://veth-a?netns=" + ns, "--json");
            assertThat(r.exit()).as(r.toString()).isZero();
            Map<String, Object> report = JsonReader.object(r.out());
            assertThat(report.get("plugin")).isEqualTo("netcon");
            assertThat(report.get("outcome")).as(r.toString()).isEqualTo("CLEAN");
            assertThat((String) report.get("lastReply")).contains("link veth-a down");

            UnplugJar.Result missing = UnplugJar.run("probe", "netcon://nothere?netns=" + ns);
            assertThat(missing.exit()).as(missing.toString()).isEqualTo(1);
            assertThat(missing.err()).startsWith("error: INVALID_ARGUMENT").contains("no link");
        } finally {
            ip("netns", "del", ns);
        }
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0).as(command + ": " + out).isTrue();
    }
}
