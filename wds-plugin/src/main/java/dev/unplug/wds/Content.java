package dev.unplug.wds;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One content of a namespace: a file, its size and SHA-256 taken at registration, read by block. Thread-safe. */
final class Content implements AutoCloseable {

    final String namespace;
    final String name;
    final Path file;
    final long size;
    final String sha256;
    private final FileChannel channel;

    Content(String namespace, String name, Path file) {
        this.namespace = namespace;
        this.name = name;
        this.file = file;
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
            this.size = channel.size();
            this.sha256 = sha256(file);
        } catch (IOException e) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "content " + name + ": cannot read " + file + ": "
                    + e.getMessage(), e);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    int blocks(int blockSize) {
        return (int) ((size + blockSize - 1) / blockSize);
    }

    /** Reads block {@code number} into {@code into}, returning its length. */
    int read(int number, int blockSize, byte[] into) throws IOException {
        long position = (long) number * blockSize;
        int length = (int) Math.min(blockSize, size - position);
        ByteBuffer buffer = ByteBuffer.wrap(into, 0, length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException(file + " shrank while it was being served");
            }
        }
        return length;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written through it
        }
    }
}
