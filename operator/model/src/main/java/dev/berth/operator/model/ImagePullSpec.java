package dev.berth.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** Which Image (in the ImagePull's namespace) and which node the pull is of; fixed when the agent creates it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImagePullSpec {
    @Required
    private String image;

    @Required
    private String node;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
    }
}
