package dev.berth.helm;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json turns a wrong value into helm's error naming the key, before anything renders. */
class ValuesSchemaTest {

    private final ChartUnderTest chart = new ChartUnderTest();

    @ParameterizedTest(name = "{0}={1} is rejected")
    @CsvSource(delimiter = '|', textBlock = """
      operator.replicas         | two                  | operator.replicas
      operator.replicas         | -1                   | operator.replicas
      metrics.port              | 70000                | metrics.port
      image.pullPolicy          | Sometimes            | image.pullPolicy
      runtimeClass.create       | maybe                | runtimeClass.create
      runtimeClass.handler      | Not_A_Label          | runtimeClass.handler
      nodeAgent.criSocket       | berth.sock           | nodeAgent.criSocket
      nodeAgent.criSocket       | /berth.sock          | nodeAgent.criSocket
      operator.logLevel         | verbose              | operator.logLevel
      operator.replica          | 2                    | replica
      """)
    void badValueFailsWithTheKeyInTheMessage(String key, String value, String named) {
        assertThatThrownBy(() -> chart.render(Map.of(key, value)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schema")
                .hasMessageContaining(named);
    }

    @ParameterizedTest(name = "{0}={1} is accepted")
    @CsvSource(delimiter = '|', textBlock = """
      runtimeClass.handler      | crun
      nodeAgent.criSocket       | /var/run/crio/crio.sock
      operator.replicas         | 0
      operator.resources.requests.cpu | 1500m
      """)
    void goodValueRenders(String key, String value) {
        assertThatCode(() -> chart.render(Map.of(key, value))).doesNotThrowAnyException();
    }
}
