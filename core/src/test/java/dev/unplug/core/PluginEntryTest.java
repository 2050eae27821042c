package dev.unplug.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PluginEntryTest {

    @Test
    void anIdIsLowerCaseLettersDigitsDotsAndDashesStartingWithALetterOrDigit() {
        assertThat(PluginEntry.isId("smtp")).isTrue();
        assertThat(PluginEntry.isId("0day.plugin-2")).isTrue();
        assertThat(PluginEntry.isId("")).isFalse();
        assertThat(PluginEntry.isId("Smtp")).isFalse();
        assertThat(PluginEntry.isId("-smtp")).isFalse();
        assertThat(PluginEntry.isId(".smtp")).isFalse();
        assertThat(PluginEntry.isId("my_plugin")).isFalse();
        assertThat(PluginEntry.isId("é")).isFalse();
    }

    @Test
    void aSchemeStartsWithALetterThenLettersDigitsPlusDotOrDash() {
        assertThat(PluginEntry.allSchemes(Set.of("pop3s", "a+b.c-d", "x"))).isTrue();
        assertThat(PluginEntry.allSchemes(Set.of("pop3", "3pop"))).isFalse();
        assertThat(PluginEntry.allSchemes(Set.of(""))).isFalse();
        assertThat(PluginEntry.allSchemes(Set.of("po p"))).isFalse();
        assertThat(PluginEntry.allSchemes(Set.of("Pop"))).isFalse();
        assertThat(PluginEntry.allSchemes(Set.of("pop_3"))).isFalse();
    }
}
