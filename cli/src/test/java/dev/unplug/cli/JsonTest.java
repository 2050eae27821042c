package dev.unplug.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void stringsWithQuotesBackslashesAndControlCharactersSurviveARoundTrip() {
        String nasty = "say \"hi\" \\ to\n\r\t\b\f the \u0001 bell \u2028 and é ✓";
        String json = Json.write(Map.of("text", nasty));
        assertThat(json).doesNotContain("\n\r").contains("\\\"hi\\\"").contains("\\u0001");
        assertThat(JsonReader.object(json)).containsEntry("text", nasty);
    }

    @Test
    void objectsKeepTheirKeyOrderAndNestedValuesAreWritten() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("kind", "CONNECT_FAILED");
        inner.put("n", 12.5);
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("z", null);
        outer.put("a", List.of("x", "y"));
        outer.put("error", inner);
        outer.put("ok", true);
        outer.put("empty", List.of());
        outer.put("none", Map.of());
        String json = Json.write(outer);
        Map<String, Object> back = JsonReader.object(json);
        assertThat(back.keySet()).containsExactly("z", "a", "error", "ok", "empty", "none");
        assertThat(back.get("z")).isNull();
        assertThat(back.get("a")).isEqualTo(List.of("x", "y"));
        assertThat(back.get("error")).isEqualTo(Map.of("kind", "CONNECT_FAILED", "n", 12.5));
        assertThat(back.get("ok")).isEqualTo(true);
    }

    @Test
    void arraysOfObjectsAndNonFiniteNumbersAreValidJson() {
        String json = Json.write(Arrays.asList(Map.of("id", "smtp"), Map.of("id", "pop3"), Double.NaN));
        List<?> back = (List<?>) JsonReader.parse(json);
        assertThat(back).hasSize(3);
        assertThat(back.get(2)).isNull();
    }

    @Test
    void enumsAreWrittenByName() {
        assertThat(JsonReader.parse(Json.write(List.of(Thread.State.RUNNABLE)))).isEqualTo(List.of("RUNNABLE"));
    }
}
