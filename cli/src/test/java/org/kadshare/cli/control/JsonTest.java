package org.kadshare.cli.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesAndReadsBackNestedObjectsInKeyOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", "text \"quoted\" \\ \n\t\u0001 é");
        m.put("n", 12345678901L);
        m.put("d", 1.5);
        m.put("t", true);
        m.put("nil", null);
        m.put("list", List.of(1L, "two", List.of(), Map.of()));
        Object back = Json.parse(Json.write(m));
        assertThat(Json.write(back)).isEqualTo(Json.write(m));
        assertThat(((Map<?, ?>) back).get("z")).isEqualTo(m.get("z"));
        assertThat(((Number) ((Map<?, ?>) back).get("n")).longValue()).isEqualTo(12345678901L);
        assertThat(((Map<?, ?>) back).containsKey("nil")).isTrue();
        assertThat(String.join(",", ((Map<?, ?>) back).keySet().stream().map(Object::toString).toList()))
                .isEqualTo("z,n,d,t,nil,list");
    }

    @Property(tries = 200)
    void anyStringSurvivesARoundTrip(@ForAll String s) {
        assertThat(Json.parse(Json.write(s))).isEqualTo(s);
    }

    @Test
    void malformedInputIsRefusedWithItsOffset() {
        for (String bad : List.of("", "{", "{\"a\":}", "[1,]", "{\"a\":1,\"a\":2}", "01x", "\"\\q\"", "tru", "1 2",
                "{\"a\" 1}", "\"unterminated")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(JsonException.class)
                    .hasMessageContaining("JSON");
        }
    }

    @Test
    void inputLargerOrDeeperThanTheLimitsIsRefused() {
        char[] big = new char[Json.MAX_INPUT_CHARS + 1];
        Arrays.fill(big, ' ');
        assertThatThrownBy(() -> Json.parse(new String(big))).hasMessageContaining("exceeds");
        String deep = "[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2);
        assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nested");
    }

    @Test
    void typedAccessorsNameTheFieldThatIsMissingOrOfTheWrongType() {
        JsonObject o = Json.parseObject("{\"port\":\"x\"}");
        assertThatThrownBy(() -> o.longValue("port")).hasMessageContaining("\"port\" is a string");
        assertThatThrownBy(() -> o.string("token")).hasMessageContaining("missing field \"token\"");
    }
}
