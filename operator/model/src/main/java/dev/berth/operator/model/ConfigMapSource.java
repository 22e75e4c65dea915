package dev.berth.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** A ConfigMap's keys as files. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigMapSource {
    @Required
    private String name;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
