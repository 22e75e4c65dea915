package dev.berth.cri.validation;

/** A request field the client got wrong: INVALID_ARGUMENT, the message starting with the field's name. */
public final class InvalidRequestException extends Exception {

    private final String field;

    public InvalidRequestException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    /** The field as the CRI proto spells it, with its path: {@code config.envs[2].key}. */
    public String field() {
        return field;
    }
}
