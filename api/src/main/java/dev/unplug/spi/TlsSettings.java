package dev.unplug.spi;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apiguardian.api.API;

/**
 * How a connection uses TLS, read from its options: implicit TLS (schemes ending in {@code s}, such as
 * {@code smtps}), STARTTLS (option {@value dev.unplug.api.Options#STARTTLS}), which certificates are trusted and
 * whether the server's host name is verified.
 *
 * <h2>Options</h2>
 * <ul>
 *   <li>{@value #TRUST_STORE}: path of a trust store file (JKS or PKCS12, detected from the file) whose
 *       certificates are trusted instead of the JDK's default trust (the {@code cacerts} of the JVM).</li>
 *   <li>{@value #TRUST_STORE_PASSWORD}: its password, if it has one. A secret: never shown.</li>
 *   <li>{@value #VERIFY_HOSTNAME}: {@code true} (the default) checks that the server's certificate names the host
 *       of the URI (RFC 2818 rules, IP addresses against IP subject alternative names); {@code false} turns the
 *       check off, for tests only.</li>
 * </ul>
 *
 * <p>One meaning for every socket plugin: {@link SocketConnection}, the one socket base, layers TLS with these
 * settings ({@link #layer(Socket, String, int)}), for its own plugins and for the Commons Net mail plugins that stand
 * on it alike (their Commons Net clients never negotiate TLS themselves); {@link OwnedSocket}, for a library that
 * connects its own sockets (pgjdbc, Paho), layers it with the same settings.
 *
 * <p>Immutable and thread-safe; the trust store is read once, at the first {@link #context()}, not when the
 * settings are made (no I/O before connect).
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class TlsSettings {

    /** Option: path of a trust store file (JKS or PKCS12). Default: the JDK's trusted certificates. */
    public static final String TRUST_STORE = "tlsTrustStore";
    /** Option: password of the trust store (secret). Default: none. */
    public static final String TRUST_STORE_PASSWORD = "tlsTrustStorePassword";
    /** Option: whether to verify that the certificate names the host ({@code true}/{@code false}). Default true. */
    public static final String VERIFY_HOSTNAME = "tlsVerifyHostname";

    private final boolean implicit;
    private final boolean startTls;
    private final boolean verifyHostname;
    private final String trustStore;
    private final String trustStorePassword;
    private volatile SSLContext context;

    private TlsSettings(boolean implicit, boolean startTls, boolean verifyHostname, String trustStore,
            String trustStorePassword) {
        this.implicit = implicit;
        this.startTls = startTls;
        this.verifyHostname = verifyHostname;
        this.trustStore = trustStore;
        this.trustStorePassword = trustStorePassword;
    }

    /**
     * Reads the settings from options. No I/O.
     *
     * @param options the connection's options
     * @param implicit whether the scheme asks for implicit TLS
     * @return the settings
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for a flag that is not true/false, a blank trust
     *         store path, or STARTTLS asked for on an implicit TLS scheme; {@link ErrorKind#NULL_ARGUMENT} for null
     */
    public static TlsSettings from(Options options, boolean implicit) {
        UnplugException.requireNonNull(options, "options");
        boolean startTls = options.flag(Options.STARTTLS, false);
        if (startTls && implicit) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "option " + Options.STARTTLS
                    + "=true cannot be used with an implicit TLS scheme: the session is encrypted from the start");
        }
        String path = options.get(TRUST_STORE).orElse(null);
        if (path != null && path.isBlank()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "option " + TRUST_STORE + " must be a file path");
        }
        return new TlsSettings(implicit, startTls, options.flag(VERIFY_HOSTNAME, true), path,
                options.get(TRUST_STORE_PASSWORD).orElse(null));
    }

    /** Whether TLS starts before the greeting (a scheme such as {@code smtps}). */
    public boolean implicit() {
        return implicit;
    }

    /** Whether the session is upgraded with STARTTLS (or STLS) after the greeting. */
    public boolean startTls() {
        return startTls;
    }

    /** Whether TLS is used at all, implicit or by STARTTLS. */
    public boolean used() {
        return implicit || startTls;
    }

    /** Whether the server's certificate must name the host; true unless {@value #VERIFY_HOSTNAME} is false. */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /**
     * The TLS context: the JDK's default trust, or the trust store of option {@value #TRUST_STORE}, read once.
     *
     * @return the context
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} when the trust store cannot be read (missing file,
     *         wrong password, unknown format), {@link ErrorKind#SECURE_CONNECT_FAILED} when the JDK has no TLS
     */
    public SSLContext context() {
        SSLContext c = context;
        if (c == null) {
            synchronized (this) {
                c = context;
                if (c == null) {
                    c = createContext();
                    context = c;
                }
            }
        }
        return c;
    }

    /**
     * Layers TLS over a connected plain socket and completes the handshake, verifying the host name unless
     * turned off. Closing the returned socket closes the plain one; the plain one stays the socket to close on a
     * drop. For Commons Net clients that have no TLS support of their own.
     *
     * @param plain the connected plain socket; its read timeout bounds the handshake
     * @param host the host name (or address) of the URI, used for SNI and the host name check
     * @param port the server's port
     * @return the TLS socket, handshake done
     * @throws IOException when the handshake or the host name check fails ({@link javax.net.ssl.SSLException})
     */
    public SSLSocket layer(Socket plain, String host, int port) throws IOException {
        UnplugException.requireNonNull(plain, "plain socket");
        UnplugException.requireNonNull(host, "host");
        SSLSocket tls = (SSLSocket) context().getSocketFactory().createSocket(plain, host, port, true);
        tls.setUseClientMode(true);
        if (verifyHostname) {
            SSLParameters p = tls.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(p);
        }
        tls.startHandshake();
        return tls;
    }

    private SSLContext createContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore == null ? null : loadTrustStore());
            TrustManager[] managers = tmf.getTrustManagers();
            if (!verifyHostname) {
                // a client that always asks for the host name check (the JDK's HttpClient does) gets the chain
                // checked and the name not: tlsVerifyHostname=false means the same for every client
                for (int i = 0; i < managers.length; i++) {
                    if (managers[i] instanceof X509ExtendedTrustManager x) {
                        managers[i] = new ChainOnly(x);
                    }
                }
            }
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, managers, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new UnplugException(ErrorKind.SECURE_CONNECT_FAILED, "TLS could not be set up: " + e.getMessage(), e);
        }
    }

    /** The certificate chain checked as the trust store says; the host name not (tlsVerifyHostname=false). */
    private static final class ChainOnly extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager trust;

        ChainOnly(X509ExtendedTrustManager trust) {
            this.trust = trust;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            trust.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            trust.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trust.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            trust.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            trust.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trust.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return trust.getAcceptedIssuers();
        }
    }

    private KeyStore loadTrustStore() {
        File file = new File(trustStore);
        if (!file.isFile()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "option " + TRUST_STORE + ": no such file "
                    + file.getAbsolutePath());
        }
        try {
            char[] secret = trustStorePassword == null ? null : trustStorePassword.toCharArray();
            return KeyStore.getInstance(file, secret);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            // the message of a wrong password names no secret; the cause is kept for the stack trace
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "option " + TRUST_STORE + ": " + file
                    + " could not be read as a JKS or PKCS12 trust store (wrong password or format): "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /** What TLS does, never the trust store password. */
    @Override
    public String toString() {
        return "TlsSettings[" + (implicit ? "implicit" : startTls ? "starttls" : "off") + ", verifyHostname="
                + verifyHostname + (trustStore == null ? "" : ", trustStore=" + trustStore) + "]";
    }
}
