package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Test;

/**
 * Every public type of every published module says its stability in code with apiguardian's {@code @API}, as
 * JUnit 5's do; what a plugin or an application must not call is {@code INTERNAL}.
 */
class ApiStatusTest {

    /** The reactor's modules that are not published as libraries. */
    private static final Set<String> UNPUBLISHED = Set.of("bench", "plugin-archetype", "bom", "interop");

    @Test
    void everyPublicTypeOfEveryPublishedModuleCarriesItsApiStatus() throws Exception {
        List<Class<?>> types = publicTypes();
        assertThat(types).as("public types found").hasSizeGreaterThan(100);
        List<String> missing = types.stream().filter(t -> t.getAnnotation(API.class) == null)
                .map(Class::getName).toList();
        assertThat(missing).as("public types without @API").isEmpty();
        assertThat(types).allSatisfy(t -> assertThat(t.getAnnotation(API.class).since()).as(t.getName())
                .isNotBlank());
    }

    @Test
    void whatNoApplicationOrPluginMayCallIsInternal() throws Exception {
        for (Class<?> t : publicTypes()) {
            String name = t.getName();
            boolean internal = name.startsWith("dev.unplug.spi.internal.") || name.startsWith("dev.unplug.cli.")
                    || (name.matches("dev\\.unplug\\.(smtp|pop3|imap|nntp|capture|wds|netcon|postgres|mqtt|"
                    + "websocket)\\..*"));
            if (internal) {
                assertThat(t.getAnnotation(API.class).status()).as(name).isEqualTo(API.Status.INTERNAL);
            }
        }
        assertThat(Class.forName("dev.unplug.api.Connection").getAnnotation(API.class).status())
                .isEqualTo(API.Status.STABLE);
    }

    private static List<Class<?>> publicTypes() throws IOException, ClassNotFoundException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String parent = Files.readString(root.resolve("pom.xml"));
        List<Class<?>> types = new ArrayList<>();
        for (String module : Pattern.compile("<module>([^<]+)</module>").matcher(parent).results()
                .map(r -> r.group(1)).toList()) {
            if (UNPUBLISHED.contains(module)) {
                continue;
            }
            Path classes = root.resolve(module).resolve("target/classes");
            assertThat(classes).as("compiled classes of %s", module).isDirectory();
            List<Path> files;
            try (Stream<Path> walk = Files.walk(classes)) {
                files = walk.filter(p -> p.toString().endsWith(".class")).toList();
            }
            for (Path f : files) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.endsWith("module-info") || name.endsWith("package-info")) {
                    continue;
                }
                Class<?> t = Class.forName(name, false, ApiStatusTest.class.getClassLoader());
                boolean visible = Modifier.isPublic(t.getModifiers()) && !t.isAnonymousClass() && !t.isLocalClass()
                        && !t.isSynthetic() && (t.getEnclosingClass() == null
                        || Modifier.isPublic(t.getEnclosingClass().getModifiers()));
                if (visible) {
                    types.add(t);
                }
            }
        }
        return types;
    }
}
