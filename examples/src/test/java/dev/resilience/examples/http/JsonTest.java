package dev.resilience.examples.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.examples.orders.NewOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void anUnknownFieldIsNamedWithTheKnownOnesAndNoJavaClass() {
        byte[] body = "{\"customer\":\"ann\",\"item\":\"book\",\"quantity\":2,\"colour\":\"red\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Json.parse(body, NewOrder.class))
                .isInstanceOf(HttpError.class)
                .hasMessage("unknown field 'colour'; known fields: customer, item, quantity");
    }

    @Test
    void aValueOfTheWrongTypeNamesTheFieldAndNoJavaType() {
        byte[] body = "{\"customer\":\"ann\",\"item\":\"book\",\"quantity\":\"two\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Json.parse(body, NewOrder.class))
                .hasMessage("field 'quantity' has the wrong type or format");
    }

    @Test
    void brokenJsonSaysWhere() {
        byte[] body = "{\"customer\":".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Json.parse(body, NewOrder.class))
                .hasMessageStartingWith("request body is not valid JSON (line 1, column")
                .hasMessageNotContaining("dev.resilience");
    }
}
