package dev.unplug.core;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Settles duplicate ids and scheme clashes, deterministically and never by class-path order: a preferred plugin
 * wins (earlier preferences first), else the class path beats plugin folders, else the smaller location (jar path)
 * wins, then the smaller class name. Losers become {@link PluginStatus#DUPLICATE} with both locations in the
 * reason. Stateless.
 */
final class Resolver {

    private Resolver() {
    }

    /**
     * Resolves the entries and returns the routing table: each scheme to the plugin that serves it. Schemes of
     * failed or incompatible plugins are routed to them too (when no usable plugin has them), so that opening
     * such a URI explains why the plugin cannot be used.
     */
    static Map<String, PluginEntry> resolve(List<PluginEntry> entries, List<String> preferred) {
        Comparator<PluginEntry> order = Comparator.<PluginEntry>comparingInt(e -> rank(e, preferred))
                .thenComparingInt(e -> e.fromClassPath() ? 0 : 1)
                .thenComparing(PluginEntry::location)
                .thenComparing(PluginEntry::className);
        List<PluginEntry> sorted = entries.stream().sorted(order).toList();
        Map<String, PluginEntry> byId = new HashMap<>();
        Map<String, PluginEntry> byScheme = new HashMap<>();
        for (PluginEntry e : sorted) {
            if (e.status() != PluginStatus.READY) {
                continue;
            }
            PluginEntry sameId = byId.get(e.id());
            if (sameId != null) {
                e.markDuplicate("plugin id '" + e.id() + "' is provided twice: by " + sameId.where() + " and by "
                        + e.where() + "; the one from " + sameId.where() + " is used because "
                        + why(sameId, e, preferred));
                continue;
            }
            PluginEntry clash = null;
            String scheme = null;
            for (String s : new TreeSet<>(e.schemes())) {
                if (byScheme.containsKey(s)) {
                    clash = byScheme.get(s);
                    scheme = s;
                    break;
                }
            }
            if (clash != null) {
                e.markDuplicate("scheme '" + scheme + "' is claimed by plugin '" + clash.id() + "' from "
                        + clash.where() + " and by plugin '" + e.id() + "' from " + e.where() + "; '" + clash.id()
                        + "' is used because " + why(clash, e, preferred));
                continue;
            }
            byId.put(e.id(), e);
            for (String served : e.schemes()) {
                byScheme.put(served, e);
            }
        }
        for (PluginEntry e : sorted) {
            PluginStatus s = e.status();
            if (s == PluginStatus.FAILED || s == PluginStatus.INCOMPATIBLE) {
                for (String served : e.schemes()) {
                    byScheme.putIfAbsent(served, e);
                }
            }
        }
        return byScheme;
    }

    private static String why(PluginEntry winner, PluginEntry loser, List<String> preferred) {
        if (rank(winner, preferred) < rank(loser, preferred)) {
            return "it is preferred by configuration";
        }
        if (winner.fromClassPath() && !loser.fromClassPath()) {
            return "the class path beats plugin folders";
        }
        if (!winner.location().equals(loser.location())) {
            return "its location sorts first (prefer the other to change this)";
        }
        return "its class name sorts first (prefer the other to change this)";
    }

    /** The index of the first preference naming the plugin (by id, source, location or jar file name). */
    static int rank(PluginEntry e, List<String> preferred) {
        for (int i = 0; i < preferred.size(); i++) {
            String p = preferred.get(i);
            if (p.equals(e.id()) || p.equals(e.source()) || p.equals(e.location()) || p.equals(fileName(e))) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static String fileName(PluginEntry e) {
        try {
            Path name = Path.of(e.location()).getFileName();
            return name == null ? "" : name.toString();
        } catch (RuntimeException ex) {
            return "";
        }
    }
}
