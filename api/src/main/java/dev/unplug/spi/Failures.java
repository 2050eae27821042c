package dev.unplug.spi;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import dev.unplug.spi.internal.GuardedSocket;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/** The default mapping of failures to typed errors, and the small facts about failures the state machine needs. */
final class Failures {

    private Failures() {
    }

    static UnplugException translate(String pluginId, URI shown, Exception failure, String during) {
        if (failure instanceof UnplugException u) {
            return u;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof GuardedSocket.ReplyTooLarge big && big.claimed() >= 0) {
                return new UnplugException(ErrorKind.MALFORMED_REPLY, pluginId + " " + during + " on " + shown
                        + ": the server claims " + big.claimed() + " bytes, more than the reply budget of "
                        + big.limit() + " bytes (option " + dev.unplug.api.Options.MAX_REPLY_SIZE + "); refused"
                        + " before reading them, and the connection was ended", failure);
            }
            if (t instanceof GuardedSocket.ReplyTooLarge big) {
                return new UnplugException(ErrorKind.MALFORMED_REPLY, pluginId + " " + during + " on " + shown
                        + ": the server sent more than " + big.limit() + " bytes in answer to one command (option "
                        + dev.unplug.api.Options.MAX_REPLY_SIZE + "), so the connection was ended", failure);
            }
        }
        String what = pluginId + " " + during + " on " + shown + " failed: " + describe(failure);
        if (failure instanceof SocketTimeoutException) {
            return new UnplugException(ErrorKind.TIMEOUT, what, failure);
        }
        if (failure instanceof UnknownHostException) {
            return new UnplugException(ErrorKind.HOST_NOT_FOUND, what, failure);
        }
        if (failure instanceof ConnectException || failure instanceof NoRouteToHostException) {
            return new UnplugException(ErrorKind.CONNECT_FAILED, what, failure);
        }
        if (failure instanceof SSLException) {
            return new UnplugException(ErrorKind.SECURE_CONNECT_FAILED, what, failure);
        }
        if (failure instanceof IOException) {
            return new UnplugException(ErrorKind.SOCKET_ERROR, what, failure);
        }
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new UnplugException(ErrorKind.ABORTED, pluginId + " " + during + " on " + shown
                    + " was interrupted", failure);
        }
        return new UnplugException(ErrorKind.UNEXPECTED, what, failure);
    }

    static boolean causedByTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException
                    || (t instanceof UnplugException u && u.kind() == ErrorKind.TIMEOUT)) {
                return true;
            }
        }
        return false;
    }

    static String lastReply(Exception failure) {
        return failure instanceof UnplugException u ? u.serverReply().orElse(null) : null;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }
}
