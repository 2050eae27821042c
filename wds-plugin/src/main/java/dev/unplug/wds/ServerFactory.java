package dev.unplug.wds;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.session.TransportServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The wds plugin's {@link TransportServer.Factory}: a {@link WdsServer} from options, each mapped to the builder's
 * setting of the same name, with the builder's checks and safe defaults. Stateless, thread-safe.
 */
final class ServerFactory implements TransportServer.Factory {

    static final Set<String> OPTIONS = Set.of("bindAddress", "port", "dataPort", "group", "interface", "ttl",
            "blockSize", "rate", "startDelay", "inactivityTimeout", "maxRepairShare", "clientHistory",
            "clientHistoryAge");

    @Override
    public TransportServer start(Options options) {
        UnplugException.requireNonNull(options, "options");
        Set<String> unknown = new TreeSet<>(options.asMap().keySet());
        unknown.removeAll(OPTIONS);
        if (!unknown.isEmpty()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "unknown wds server option(s) " + unknown
                    + "; known: " + new TreeSet<>(OPTIONS));
        }
        WdsServer.Builder b = WdsServer.builder();
        options.get("bindAddress").ifPresent(a -> b.bindAddress(address("bindAddress", a)));
        options.get("group").ifPresent(a -> b.group(address("group", a)));
        options.get("interface").ifPresent(b::networkInterface);
        number(options, "port", Integer::parseInt).ifPresent(b::port);
        number(options, "dataPort", Integer::parseInt).ifPresent(b::dataPort);
        number(options, "ttl", Integer::parseInt).ifPresent(b::ttl);
        number(options, "blockSize", Integer::parseInt).ifPresent(b::blockSize);
        if (options.get("rate").isPresent()) {
            b.rate(options.size("rate", 0));
        }
        number(options, "maxRepairShare", Double::parseDouble).ifPresent(b::maxRepairShare);
        if (options.get("startDelay").isPresent()) {
            b.startDelay(options.duration("startDelay", Duration.ZERO));
        }
        if (options.get("inactivityTimeout").isPresent()) {
            b.inactivityTimeout(options.duration("inactivityTimeout", Duration.ZERO));
        }
        if (options.get("clientHistory").isPresent() || options.get("clientHistoryAge").isPresent()) {
            b.clientHistory(number(options, "clientHistory", Integer::parseInt).orElse(1024),
                    options.duration("clientHistoryAge", Duration.ofMinutes(10)));
        }
        return b.start();
    }

    private static <N> java.util.Optional<N> number(Options o, String name, Function<String, N> parse) {
        return o.get(name).map(text -> {
            try {
                return parse.apply(text.strip());
            } catch (NumberFormatException e) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "wds server option " + name
                        + " is not a number: '" + text + "'");
            }
        });
    }

    private static InetAddress address(String name, String text) {
        if (!text.matches("[0-9A-Fa-f.:]+")) { // a literal only: no name lookup from a server setting
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "wds server option " + name + " must be an IP"
                    + " address literal, not '" + text + "'");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "wds server option " + name + " is not an IP"
                    + " address: '" + text + "'", e);
        }
    }
}
