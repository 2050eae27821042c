package dev.unplug.testkit.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unplug.testkit.tck.ConnectionContractTest;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The guide's table of which TCK check tests which rule names every check once and every listed rule. */
class TckRuleTableTest {

    @Test
    void theRuleTableNamesEveryTckCheckAndEveryRule() throws Exception {
        String guide = Files.readString(ReadmeExampleTest.guide(), StandardCharsets.UTF_8);
        int rules = (int) Pattern.compile("(?m)^(\\d+)\\. ").matcher(guide.substring(guide.indexOf(
                "## Rules the TCK checks"))).results().count();
        assertThat(rules).as("numbered rules in the guide").isEqualTo(22);

        TreeMap<Integer, String> ruleToCheck = new TreeMap<>();
        Matcher row = Pattern.compile("(?m)^\\| ([\\d, ]+) \\| `(\\w+)` \\|$").matcher(guide);
        Set<String> named = new TreeSet<>();
        while (row.find()) {
            named.add(row.group(2));
            for (String n : row.group(1).split(",\\s*")) {
                ruleToCheck.put(Integer.parseInt(n.strip()), row.group(2));
            }
        }
        Set<String> checks = Arrays.stream(ConnectionContractTest.class.getMethods())
                .filter(m -> m.isAnnotationPresent(Test.class)).map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(checks).hasSize(19);
        assertThat(named).as("checks named in the table").isEqualTo(checks);
        assertThat(ruleToCheck.keySet()).as("rules in the table")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, rules).boxed().toList());
    }
}
