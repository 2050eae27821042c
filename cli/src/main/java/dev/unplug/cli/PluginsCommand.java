package dev.unplug.cli;

import dev.unplug.core.PluginHost;
import dev.unplug.core.PluginInfo;
import dev.unplug.spi.Capability;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code unplug plugins [--json] [--plugins-dir DIR]}: one row per plugin found, built from
 * {@link PluginHost#inspectPlugins()} (each provider constructed in isolation, so a broken one shows as failed
 * with its reason while the others are listed as usual).
 */
final class PluginsCommand {

    static final Args.Spec SPEC = new Args.Spec("plugins", Set.of("--json"), Set.of("--plugins-dir"), Set.of(),
            0, 0, "");

    private PluginsCommand() {
    }

    static int run(List<String> arguments, Console console) {
        Args args = Args.parse(SPEC, arguments);
        List<PluginInfo> plugins;
        try (PluginHost host = Hosts.open("plugins", args.value("--plugins-dir"))) {
            plugins = host.inspectPlugins();
        }
        if (args.flag("--json")) {
            List<Object> rows = new ArrayList<>();
            for (PluginInfo p : plugins) {
                rows.add(json(p));
            }
            console.out(Json.write(rows));
            return 0;
        }
        if (plugins.isEmpty()) {
            console.out("no plugins found");
            return 0;
        }
        Table table = new Table("ID", "VERSION", "SCHEMES", "CAPABILITIES", "STATUS", "SOURCE", "REASON");
        for (PluginInfo p : plugins) {
            table.row(p.id(), p.version().orElse(null), String.join(",", schemes(p)),
                    String.join(",", capabilities(p)), p.status().name(), p.source(), p.reason().orElse(null));
        }
        console.out(table.render());
        return 0;
    }

    private static Map<String, Object> json(PluginInfo p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("version", p.version().orElse(null));
        m.put("schemes", schemes(p));
        m.put("capabilities", capabilities(p));
        m.put("source", p.source());
        m.put("status", p.status().name());
        m.put("reason", p.reason().orElse(null));
        return m;
    }

    private static List<String> schemes(PluginInfo p) {
        return p.schemes().stream().sorted().toList();
    }

    private static List<String> capabilities(PluginInfo p) {
        return p.capabilities().stream().sorted().map(Capability::name).collect(Collectors.toList());
    }
}
