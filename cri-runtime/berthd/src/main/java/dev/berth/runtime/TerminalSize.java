package dev.berth.runtime;

/** A terminal's size in character cells, as the resize channel carries it ({@code {"Width":…,"Height":…}}). */
public record TerminalSize(int width, int height) {

    public TerminalSize {
        if (width < 0 || height < 0 || width > 0xFFFF || height > 0xFFFF) {
            throw new IllegalArgumentException("terminal size " + width + "x" + height + " is out of range");
        }
    }
}
