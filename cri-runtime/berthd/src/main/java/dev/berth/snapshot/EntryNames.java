package dev.berth.snapshot;

/**
 * Turns a tar entry's name into a path relative to the snapshot root: {@code ./a//b/} becomes
 * {@code a/b}, the root itself becomes the empty string. Names that could leave the root are refused
 * outright: absolute names, any {@code ..} component, NUL bytes, empty names.
 */
final class EntryNames {

    static final String WHITEOUT_PREFIX = ".wh.";
    static final String WHITEOUT_META_PREFIX = ".wh..wh.";
    static final String OPAQUE_MARKER = ".wh..wh..opq";

    private EntryNames() {}

    /**
     * The normalised relative name; {@code entryName} is what errors report. Allocates nothing for a
     * name that is already normal, which is nearly every name in a real layer.
     */
    static String normalise(String name, String entryName, String what) throws LayerRejectedException {
        int length = name.length();
        if (length == 0) {
            throw new LayerRejectedException(entryName, what + " is empty");
        }
        if (name.charAt(0) == '/') {
            throw new LayerRejectedException(entryName, what + " is an absolute path");
        }
        boolean normal = true;
        int start = 0;
        for (int i = 0; i <= length; i++) {
            char c = i < length ? name.charAt(i) : '/';
            if (c == '\0') {
                throw new LayerRejectedException(entryName, what + " contains a NUL byte");
            }
            if (c != '/') {
                continue;
            }
            int componentLength = i - start;
            if (componentLength == 0 || componentLength == 1 && name.charAt(start) == '.') {
                normal = false;
            } else if (componentLength == 2 && name.charAt(start) == '.' && name.charAt(start + 1) == '.') {
                throw new LayerRejectedException(entryName, what + " has a \"..\" component");
            }
            start = i + 1;
        }
        return normal ? name : rebuild(name);
    }

    private static String rebuild(String name) {
        StringBuilder normal = new StringBuilder(name.length());
        for (String component : name.split("/")) {
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (!normal.isEmpty()) {
                normal.append('/');
            }
            normal.append(component);
        }
        return normal.toString();
    }

    /** The parent of a normalised name; the empty string for the root. */
    static String parent(String relative) {
        int slash = relative.lastIndexOf('/');
        return slash < 0 ? "" : relative.substring(0, slash);
    }

    static String child(String parent, String name) {
        return parent.isEmpty() ? name : parent + "/" + name;
    }
}
