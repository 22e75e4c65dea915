import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites the pre-Java-6 classes of a jar (picocli ships Java 5 class files) as Java 8 class files with stack maps,
 * in place. The JDK's AOT cache leaves old class files out, as they cannot be verified ahead of time: picocli's 170
 * classes were then parsed and verified by the old verifier at every start of the berth command, ~0.16 s of CPU. The
 * code is the same; only the version changes and the stack maps the new verifier needs are computed. Every rewritten
 * class is verified before the jar is replaced.
 *
 * <p>Run by the package phase with the JDK that runs Maven (the class-file API needs JDK 24+), as a source file:
 * {@code java UpgradeBytecode.java JAR}.
 */
public final class UpgradeBytecode {

    private static final int OLDEST_KEPT = 50;
    private static final int NEW_VERSION = 52;

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Path upgraded = jar.resolveSibling(jar.getFileName() + ".upgrading");
        int count;
        try (URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
                InputStream in = Files.newInputStream(jar);
                OutputStream out = Files.newOutputStream(upgraded)) {
            ClassFile classFile = ClassFile.of(
                    ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(classes))));
            count = copy(classFile, new ZipInputStream(in), new ZipOutputStream(out));
        }
        Files.move(upgraded, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("UpgradeBytecode: " + count + " classes of " + jar.getFileName() + " now version "
                + NEW_VERSION);
    }

    private static int copy(ClassFile classFile, ZipInputStream in, ZipOutputStream out) throws IOException {
        int count = 0;
        for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
            byte[] bytes = in.readAllBytes();
            if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
                ClassModel model = classFile.parse(bytes);
                if (model.majorVersion() < OLDEST_KEPT) {
                    bytes = upgrade(classFile, model);
                    count++;
                }
            }
            ZipEntry copied = new ZipEntry(entry.getName());
            copied.setTime(entry.getTime());
            out.putNextEntry(copied);
            out.write(bytes);
            out.closeEntry();
        }
        out.finish();
        return count;
    }

    private static byte[] upgrade(ClassFile classFile, ClassModel model) {
        // every method body goes through the builder, which computes its stack map for the new version
        byte[] bytes = classFile.transformClass(
                model,
                ClassTransform.endHandler(builder -> builder.withVersion(NEW_VERSION, 0))
                        .andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)));
        List<VerifyError> errors = classFile.verify(bytes);
        if (!errors.isEmpty()) {
            throw new IllegalStateException(model.thisClass().asInternalName() + " fails verification: " + errors);
        }
        return bytes;
    }
}
