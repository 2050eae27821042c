package dev.unplug.core;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a provider's {@code @UnplugPlugin} straight from its class file (the class-level
 * {@code RuntimeVisibleAnnotations} attribute), so that discovery does not pay for Java's reflective annotation
 * parsing: its first use in a JVM generates a proxy class and loads the bytecode machinery behind it, which measured
 * a large part of what finding the plugins added to a cold start (see BENCHMARKS.md). Anything unexpected (no class
 * file, another layout, a value that is not a constant) returns null and discovery reads the annotation reflectively
 * as before, which also words any error. Stateless; thread-safe.
 */
final class ClassFileDeclaration {

    private static final String DESCRIPTOR = "Ldev/unplug/spi/UnplugPlugin;";
    private static final String ATTRIBUTE = "RuntimeVisibleAnnotations";

    /** The three values of the annotation, as declared. */
    record Declaration(String id, List<String> schemes, String apiVersion) {
    }

    private ClassFileDeclaration() {
    }

    /** The class's declaration, or null when it cannot be read this way. */
    static Declaration read(Class<?> type) {
        // resources ending in .class are never encapsulated, so this works for classes in named modules too
        String resource = "/".concat(type.getName().replace('.', '/')).concat(".class"); // no indy concat: cold start
        try (InputStream raw = type.getResourceAsStream(resource)) {
            if (raw == null) {
                return null;
            }
            return parse(new DataInputStream(new java.io.BufferedInputStream(raw, 8192)));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Declaration parse(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            return null;
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        Object[] pool = new Object[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> pool[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // eight-byte constants take two slots
                }
                case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> {
                    return null;
                }
            }
        }
        in.readUnsignedShort(); // access flags
        in.readUnsignedShort(); // this
        in.readUnsignedShort(); // super
        in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
        for (int members = 0; members < 2; members++) { // fields, then methods
            int n = in.readUnsignedShort();
            for (int i = 0; i < n; i++) {
                in.skipNBytes(6);
                skipAttributes(in);
            }
        }
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            String name = utf(pool, in.readUnsignedShort());
            int length = in.readInt();
            if (!ATTRIBUTE.equals(name)) {
                in.skipNBytes(length);
                continue;
            }
            int annotations = in.readUnsignedShort();
            for (int k = 0; k < annotations; k++) {
                String type = utf(pool, in.readUnsignedShort());
                if (DESCRIPTOR.equals(type)) {
                    return declaration(in, pool);
                }
                skipPairs(in);
            }
            return null;
        }
        return null;
    }

    private static Declaration declaration(DataInputStream in, Object[] pool) throws IOException {
        String id = null;
        String apiVersion = null;
        List<String> schemes = null;
        int pairs = in.readUnsignedShort();
        for (int p = 0; p < pairs; p++) {
            String name = utf(pool, in.readUnsignedShort());
            int tag = in.readUnsignedByte();
            if (tag == 's' && ("id".equals(name) || "apiVersion".equals(name))) {
                String value = utf(pool, in.readUnsignedShort());
                if ("id".equals(name)) {
                    id = value;
                } else {
                    apiVersion = value;
                }
            } else if (tag == '[' && "schemes".equals(name)) {
                int n = in.readUnsignedShort();
                schemes = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    if (in.readUnsignedByte() != 's') {
                        return null;
                    }
                    schemes.add(utf(pool, in.readUnsignedShort()));
                }
            } else {
                skipValue(in, tag);
            }
        }
        return id == null || apiVersion == null || schemes == null ? null
                : new Declaration(id, List.copyOf(schemes), apiVersion);
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        for (int i = 0; i < n; i++) {
            in.readUnsignedShort();
            in.skipNBytes(Integer.toUnsignedLong(in.readInt()));
        }
    }

    private static void skipPairs(DataInputStream in) throws IOException {
        int pairs = in.readUnsignedShort();
        for (int p = 0; p < pairs; p++) {
            in.readUnsignedShort();
            skipValue(in, in.readUnsignedByte());
        }
    }

    private static void skipValue(DataInputStream in, int tag) throws IOException {
        switch (tag) {
            case 'B', 'C', 'D', 'F', 'I', 'J', 'S', 'Z', 's', 'c' -> in.readUnsignedShort();
            case 'e' -> in.readInt();
            case '@' -> {
                in.readUnsignedShort();
                skipPairs(in);
            }
            case '[' -> {
                int n = in.readUnsignedShort();
                for (int i = 0; i < n; i++) {
                    skipValue(in, in.readUnsignedByte());
                }
            }
            default -> throw new IOException("unknown annotation value tag " + tag);
        }
    }

    private static String utf(Object[] pool, int index) throws IOException {
        if (index <= 0 || index >= pool.length || !(pool[index] instanceof String s)) {
            throw new IOException("constant " + index + " is not a UTF-8 entry");
        }
        return s;
    }
}
