package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsTest {

    @Test
    void flagsValuesInBothFormsRepeatsAndPositionalsAreParsed() {
        Args a = Args.parse(ProbeCommand.SPEC, List.of("smtp://h", "--json", "--deadline", "300ms",
                "--mode=drop", "--option", "a=1", "--option=b=2"));
        assertThat(a.positionals()).containsExactly("smtp://h");
        assertThat(a.flag("--json")).isTrue();
        assertThat(a.value("--deadline")).contains("300ms");
        assertThat(a.value("--mode")).contains("drop");
        assertThat(a.values("--option")).containsExactly("a=1", "b=2");
        assertThat(a.value("--plugins-dir")).isEmpty();
    }

    @Test
    void doubleDashEndsTheOptions() {
        Args a = Args.parse(ProbeCommand.SPEC, List.of("--", "--json"));
        assertThat(a.positionals()).containsExactly("--json");
        assertThat(a.flag("--json")).isFalse();
    }

    @Test
    void unknownOptionIsAUsageErrorNamingIt() {
        assertThatThrownBy(() -> Args.parse(PluginsCommand.SPEC, List.of("--jsn")))
                .isInstanceOf(UsageException.class).hasMessageContaining("--jsn")
                .extracting(e -> ((UsageException) e).command()).isEqualTo("plugins");
    }

    @Test
    void optionWithoutItsValueIsAUsageError() {
        assertThatThrownBy(() -> Args.parse(ProbeCommand.SPEC, List.of("smtp://h", "--deadline")))
                .isInstanceOf(UsageException.class).hasMessage("--deadline needs a value");
    }

    @Test
    void missingAndExtraPositionalsAreUsageErrors() {
        assertThatThrownBy(() -> Args.parse(ProbeCommand.SPEC, List.of("--json")))
                .isInstanceOf(UsageException.class).hasMessageContaining("missing argument URI");
        assertThatThrownBy(() -> Args.parse(ProbeCommand.SPEC, List.of("a://b", "c://d")))
                .isInstanceOf(UsageException.class).hasMessageContaining("unexpected argument 'c://d'");
    }

    @Test
    void anOptionThatMayNotRepeatIsRefusedTheSecondTime() {
        assertThatThrownBy(() -> Args.parse(ProbeCommand.SPEC, List.of("a://b", "--mode", "drop", "--mode", "x")))
                .isInstanceOf(UsageException.class).hasMessage("--mode given more than once");
    }

    @Test
    void aFlagGivenAValueIsRefused() {
        assertThatThrownBy(() -> Args.parse(PluginsCommand.SPEC, List.of("--json=yes")))
                .isInstanceOf(UsageException.class).hasMessage("--json takes no value");
    }
}
