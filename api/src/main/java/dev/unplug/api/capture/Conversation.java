package dev.unplug.api.capture;

import org.apiguardian.api.API;

/**
 * Traffic between two endpoints, both ways, as counted in CONVERSATION_STATISTICS mode. Endpoint {@code a} is
 * the one that sorts first, so each pair has one entry. Immutable.
 *
 * @param kind what the endpoints are
 * @param a the first endpoint: an address ({@code 127.0.0.1}), or address and port ({@code 127.0.0.1:25},
 *        {@code [::1]:25})
 * @param b the second endpoint
 * @param framesAtoB frames from {@code a} to {@code b}
 * @param bytesAtoB bytes on the wire from {@code a} to {@code b}
 * @param framesBtoA frames from {@code b} to {@code a}
 * @param bytesBtoA bytes on the wire from {@code b} to {@code a}
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Conversation(Kind kind, String a, String b, long framesAtoB, long bytesAtoB, long framesBtoA,
        long bytesBtoA) {

    /** What a conversation is between. */
    @API(status = API.Status.STABLE, since = "0.1")
    public enum Kind {
        /** Two IP hosts, whatever the protocol. */
        HOST_PAIR,
        /** Two TCP endpoints. */
        TCP,
        /** Two UDP endpoints. */
        UDP
    }

    /** Frames both ways. */
    public long frames() {
        return framesAtoB + framesBtoA;
    }

    /** Bytes both ways. */
    public long bytes() {
        return bytesAtoB + bytesBtoA;
    }
}
