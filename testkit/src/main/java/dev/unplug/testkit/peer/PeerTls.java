package dev.unplug.testkit.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apiguardian.api.API;

/**
 * The TLS identity of the loopback peers: a self-signed certificate made at run time (by the JDK's
 * {@code keytool}, once per JVM, into a temporary folder deleted at exit) for {@code CN=127.0.0.1} with subject
 * alternative names {@code IP:127.0.0.1} and {@code DNS:localhost}, so that a client can verify host names for
 * real against {@link #trustStore()}.
 *
 * <pre>{@code
 * Options tls = Options.builder()
 *         .set("tlsTrustStore", PeerTls.trustStore().toString())
 *         .set("tlsTrustStorePassword", PeerTls.trustStorePassword())
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe. The first call takes about a second (key generation); later calls are free. Failures to make
 * the certificate raise {@link IllegalStateException} with {@code keytool}'s output.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class PeerTls {

    private static final String ALIAS = "unplug-peer";
    private static final String TYPE = "PKCS12";
    private static volatile Material material;

    private record Material(Path dir, Path keyStore, Path trustStore, String password, X509Certificate certificate,
            KeyStore keys, KeyStore trust) {
    }

    private PeerTls() {
    }

    /** The trust store (PKCS12) that holds only the peers' certificate. */
    public static Path trustStore() {
        return material().trustStore();
    }

    /** The password of {@link #trustStore()} (also of the peers' key store). */
    public static String trustStorePassword() {
        return material().password();
    }

    /** The type of {@link #trustStore()}: {@code PKCS12}. */
    public static String trustStoreType() {
        return TYPE;
    }

    /** The peers' certificate. */
    public static X509Certificate certificate() {
        return material().certificate();
    }

    /**
     * A client TLS context that trusts the peers' certificate and nothing else. Host names are checked when the
     * client sets the endpoint identification algorithm ({@code HTTPS}), as a plugin's socket should.
     */
    public static SSLContext clientContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(material().trust());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the client TLS context of the loopback peers", e);
        }
    }

    /** The server TLS context the peers use. */
    public static SSLContext serverContext() {
        Material m = material();
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(m.keys(), m.password().toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the server TLS context of the loopback peers", e);
        }
    }

    private static Material material() {
        Material m = material;
        if (m == null) {
            synchronized (PeerTls.class) {
                m = material;
                if (m == null) {
                    m = generate();
                    material = m;
                }
            }
        }
        return m;
    }

    private static Material generate() {
        try {
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            String password = "peer-" + HexFormat.of().formatHex(random);
            Path dir = Files.createTempDirectory("unplug-peer-tls");
            Path keyStore = dir.resolve("peer-keys.p12");
            Path trustStore = dir.resolve("peer-trust.p12");
            dir.toFile().deleteOnExit();
            keyStore.toFile().deleteOnExit();
            trustStore.toFile().deleteOnExit();
            keytool(List.of("-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-sigalg", "SHA256withECDSA", "-dname", "CN=127.0.0.1, O=Unplug test peer",
                    "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "30",
                    "-keystore", keyStore.toString(), "-storetype", TYPE,
                    "-storepass", password, "-keypass", password));
            KeyStore keys = KeyStore.getInstance(TYPE);
            try (InputStream in = Files.newInputStream(keyStore)) {
                keys.load(in, password.toCharArray());
            }
            X509Certificate cert = (X509Certificate) keys.getCertificate(ALIAS);
            KeyStore trust = KeyStore.getInstance(TYPE);
            trust.load(null, null);
            trust.setCertificateEntry(ALIAS, cert);
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trust.store(out, password.toCharArray());
            }
            return new Material(dir, keyStore, trustStore, password, cert, keys, trust);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the TLS material of the loopback peers", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the TLS material of the loopback peers", e);
        }
    }

    private static void keytool(List<String> args) throws IOException {
        Path bin = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Files.isExecutable(bin) ? bin.toString() : "keytool");
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!done) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within 60 s: " + out);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed with exit status " + p.exitValue() + ": " + out);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool made the peers' certificate", e);
        }
    }
}
