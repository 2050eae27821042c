package dev.unplug.capture;

import com.google.auto.service.AutoService;
import dev.unplug.api.Connection;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.Redaction;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.ApiVersion;
import dev.unplug.spi.Capability;
import dev.unplug.spi.UnplugPlugin;
import dev.unplug.spi.UnplugProvider;
import java.net.URI;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Capture devices on libpcap, for {@code capture} URIs:
 *
 * <ul>
 *   <li>{@code capture://lo?filter=tcp%20port%2010025&snaplen=65535}: live capture on an interface (needs root or
 *       {@code CAP_NET_RAW});</li>
 *   <li>{@code capture://offline?file=/path/in.pcap} or {@code capture:file:///path/in.pcap}: an offline source
 *       that replays a pcap file as a device (no privileges, no traffic).</li>
 * </ul>
 *
 * <p>Options (URI query or {@link Options}): {@code filter} (BPF, libpcap syntax), {@code snaplen} (1 to 262144,
 * default 262144), {@code promiscuous} (default false), {@code bufferSize} (the kernel ring in bytes, k or m suffix,
 * 64k to 1024m; default 32m), {@code readTimeout} (libpcap's read timeout, at most 1 s, default 100 ms), {@code dir}
 * (where capture files go; default {@code $TMPDIR/unplug-captures}), {@code mode} ({@code delayed} (default),
 * {@code realtime}, {@code statistics}, {@code conversations}), {@code queue} (REAL_TIME queue length, default
 * 4096), triggers {@code stopAfterFrames}, {@code stopAfterBytes}, {@code stopAfter} (a duration) and
 * {@code pauseOnPattern} (text), and for offline sources {@code rate} (frames per second; as fast as read when
 * absent). Each bad value is an {@link ErrorKind#INVALID_ARGUMENT} naming it, raised by {@code open}; an unknown
 * interface or a filter that does not compile is raised by {@code connect}, before the device opens, and a
 * missing permission is {@link ErrorKind#ACCESS_DENIED}.
 *
 * <p>Control a capture with {@code connection.unwrap(CaptureControl.class)}. Thread-safe.
 *
 * @since 0.1
 */
@AutoService(UnplugProvider.class)
@UnplugPlugin(id = "capture", schemes = "capture", apiVersion = ApiVersion.CURRENT)
@API(status = API.Status.INTERNAL, since = "0.1")
public final class CaptureProvider implements UnplugProvider {

    /** Cheap: no native loading (libpcap loads at the first connect). */
    public CaptureProvider() {
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.CAPTURE);
    }

    @Override
    public Connection open(URI uri, Options options) {
        UnplugException.requireNonNull(uri, "uri");
        UnplugException.requireNonNull(options, "options");
        if (!"capture".equalsIgnoreCase(uri.getScheme())) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "the capture plugin serves capture: URIs, not "
                    + Redaction.text(uri));
        }
        return new CaptureConnection(uri, options);
    }
}
