package dev.unplug.mqtt;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * Paho's MqttExceptions (3.1.1's and 5's) as Unplug's typed errors, the return or reason code kept as the reply
 * code. Codes below 256 are the broker's (CONNACK return codes 1-5 of MQTT 3.1.1, reason codes 0x80 and above of
 * MQTT 5); codes from 32000 are Paho's own. Stateless.
 */
final class MqttErrors {

    private MqttErrors() {
    }

    /**
     * The typed error for a failure during {@code what}.
     *
     * @param code Paho's reason code ({@code getReasonCode()})
     * @param failure the exception, kept as the cause
     */
    static UnplugException of(URI shown, String what, int code, Exception failure) {
        ErrorKind kind = has(failure, PacketGuard.Malformed.class) ? ErrorKind.MALFORMED_REPLY : switch (code) {
            case 4, 0x86 -> ErrorKind.AUTHENTICATION_FAILED;           // bad user name or password
            case 5, 0x87 -> ErrorKind.ACCESS_DENIED;                   // not authorised
            case 1, 0x84 -> ErrorKind.NOT_SUPPORTED;                   // protocol version refused
            case 2, 0x85 -> ErrorKind.INVALID_ARGUMENT;                // client identifier refused
            case 3, 0x88, 0x89 -> ErrorKind.CONNECT_FAILED;            // broker unavailable, busy
            case 0x81, 32108, 50002 -> ErrorKind.MALFORMED_REPLY;      // malformed packet, invalid message
            case 0x82 -> ErrorKind.MALFORMED_REPLY;                    // protocol error
            case 0x97 -> ErrorKind.OUT_OF_RESOURCES;                   // quota exceeded
            case 32000, 32002 -> ErrorKind.TIMEOUT;
            case 32104, 32101, 32111 -> ErrorKind.NOT_CONNECTED;
            case 32109 -> ErrorKind.SOCKET_ERROR;                      // connection lost
            case 32103 -> connectKind(failure);
            default -> code >= 0x80 && code < 0x100 ? ErrorKind.FAILED : causeKind(failure);
        };
        String detail = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        Throwable cause = failure.getCause();
        if (cause != null && cause.getMessage() != null && !detail.contains(cause.getMessage())) {
            detail = detail + ": " + cause.getMessage();
        }
        String origin = code > 0 && code < 0x100 ? "the broker's " + (code < 0x80 ? "return" : "reason") + " code "
                + code + " (0x" + Integer.toHexString(code) + ")" : "Paho's code " + code;
        return new UnplugException(kind, "mqtt " + what + " on " + shown + " failed: " + detail + " (" + origin
                + ")", failure, code, detail);
    }

    /**
     * A failure raised by Paho (either version), or by a future Paho completed, as a typed error: an Unplug error
     * unchanged, anything else with Paho's code when it has one.
     */
    static UnplugException ofPaho(URI shown, String what, Throwable failure) {
        if (failure instanceof UnplugException u) {
            return u;
        }
        Exception e = failure instanceof Exception x ? x : new java.io.IOException(String.valueOf(failure), failure);
        return of(shown, what, Paho.reasonCode(failure), e);
    }

    /** Whether {@link #ofPaho} knows more of this failure than the base's translation: Paho's code, or ours. */
    static boolean isPahos(Throwable failure) {
        return failure instanceof UnplugException || Paho.reasonCode(failure) >= 0;
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static ErrorKind connectKind(Throwable failure) {
        ErrorKind k = causeKind(failure);
        return k == ErrorKind.FAILED ? ErrorKind.CONNECT_FAILED : k;
    }

    private static ErrorKind causeKind(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnplugException u) {
                return u.kind();
            }
            if (t instanceof SocketTimeoutException) {
                return ErrorKind.TIMEOUT;
            }
            if (t instanceof UnknownHostException) {
                return ErrorKind.HOST_NOT_FOUND;
            }
            if (t instanceof SSLException) {
                return ErrorKind.SECURE_CONNECT_FAILED;
            }
            if (t instanceof ConnectException) {
                return ErrorKind.CONNECT_FAILED;
            }
            if (t instanceof java.io.EOFException) {
                return ErrorKind.SOCKET_ERROR;
            }
        }
        return ErrorKind.FAILED;
    }
}
