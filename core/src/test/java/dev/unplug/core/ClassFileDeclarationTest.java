package dev.unplug.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.spi.UnplugPlugin;
import org.junit.jupiter.api.Test;

class ClassFileDeclarationTest {

    @UnplugPlugin(id = "class-file.test", schemes = {"one", "two"}, apiVersion = "1.0")
    @Deprecated
    static final class Declared {
        @Deprecated
        int field;

        @Deprecated
        void method() {
        }
    }

    /** Every kind of annotation value, so that skipping them is exercised. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @interface Other {
        Thread.State state();

        Class<?> type();

        Deprecated nested();

        long[] numbers();

        double real();

        char letter();
    }

    @Other(state = Thread.State.NEW, type = String.class, nested = @Deprecated(since = "1"), numbers = {1L, 2L},
            real = 2.5, letter = 'x')
    @UnplugPlugin(id = "busy", schemes = {"busy", "busy-s"}, apiVersion = "1.0")
    static final class Busy {
        static final long BIG = 1L << 40;
        static final double HALF = 0.5;
        static final float THIRD = 1f / 3;
        static final String TEXT = "text";

        Runnable lambda() {
            return () -> System.identityHashCode(TEXT + BIG + HALF + THIRD);
        }
    }

    @Deprecated
    static final class Undeclared {
    }

    @Test
    void readsTheSameValuesAsReflectionWithoutIt() {
        ClassFileDeclaration.Declaration d = ClassFileDeclaration.read(Declared.class);
        UnplugPlugin a = Declared.class.getAnnotation(UnplugPlugin.class);
        assertThat(d).isNotNull();
        assertThat(d.id()).isEqualTo(a.id()).isEqualTo("class-file.test");
        assertThat(d.schemes()).containsExactly(a.schemes()).containsExactly("one", "two");
        assertThat(d.apiVersion()).isEqualTo(a.apiVersion());
    }

    @Test
    void findsTheDeclarationBehindOtherAnnotationsAndEveryKindOfConstant() {
        ClassFileDeclaration.Declaration d = ClassFileDeclaration.read(Busy.class);
        assertThat(d).isNotNull();
        assertThat(d.id()).isEqualTo("busy");
        assertThat(d.schemes()).containsExactly("busy", "busy-s");
    }

    @Test
    void aClassWithoutTheAnnotationGivesNullSoReflectionWordsTheError() {
        assertThat(ClassFileDeclaration.read(Undeclared.class)).isNull();
        assertThat(ClassFileDeclaration.read(String.class)).isNull();
    }
}
