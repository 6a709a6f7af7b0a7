package io.protoloop.architecture;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads which packages the classes of a directory refer to, from their class files: every class named in the
 * constant pool, directly or inside a method or field descriptor. No library needed, and it sees what the
 * compiler emitted, fully qualified names included.
 */
final class ClassFilePackages {

	private static final Pattern CLASS_IN_DESCRIPTOR = Pattern.compile("L([\\w/$]+);");

	private ClassFilePackages() {
	}

	/** Returns, for each package under {@code classes} whose name starts with {@code prefix}, the packages its classes use. */
	static Map<String, Set<String>> dependencies(Path classes, String prefix) throws IOException {
		Map<String, Set<String>> graph = new TreeMap<>();
		try (Stream<Path> files = Files.walk(classes)) {
			for (Path file : (Iterable<Path>) files.filter((f) -> f.toString().endsWith(".class"))::iterator) {
				String name = classes.relativize(file).toString().replace('\\', '/');
				String from = packageOf(name.substring(0, name.length() - ".class".length()));
				if (!from.startsWith(prefix)) {
					continue;
				}
				Set<String> to = graph.computeIfAbsent(from, (key) -> new TreeSet<>());
				try (InputStream in = Files.newInputStream(file)) {
					for (String used : referencedClasses(in)) {
						String usedPackage = packageOf(used);
						if (usedPackage.startsWith(prefix) && !usedPackage.equals(from)) {
							to.add(usedPackage);
						}
					}
				}
			}
		}
		return graph;
	}

	private static String packageOf(String internalName) {
		int slash = internalName.lastIndexOf('/');
		return (slash < 0) ? "" : internalName.substring(0, slash).replace('/', '.');
	}

	/** Returns the internal names of the classes a class file refers to (JVMS 4.4). */
	private static Set<String> referencedClasses(InputStream stream) throws IOException {
		DataInputStream in = new DataInputStream(stream);
		in.readInt(); // magic
		in.readUnsignedShort(); // minor
		in.readUnsignedShort(); // major
		int count = in.readUnsignedShort();
		String[] utf8 = new String[count];
		Set<Integer> classIndexes = new TreeSet<>();
		Set<Integer> descriptorIndexes = new TreeSet<>();
		for (int i = 1; i < count; i++) {
			int tag = in.readUnsignedByte();
			switch (tag) {
				case 1 -> utf8[i] = in.readUTF();
				case 7 -> classIndexes.add(in.readUnsignedShort());
				case 16 -> descriptorIndexes.add(in.readUnsignedShort()); // MethodType
				case 8, 19, 20 -> in.readUnsignedShort(); // String, Module, Package
				case 3, 4 -> in.readInt();
				case 5, 6 -> {
					in.readLong();
					i++; // takes two entries
				}
				case 9, 10, 11, 12, 17, 18 -> {
					int first = in.readUnsignedShort();
					int second = in.readUnsignedShort();
					if (tag == 12) {
						descriptorIndexes.add(second); // NameAndType: the descriptor
					}
				}
				case 15 -> {
					in.readUnsignedByte();
					in.readUnsignedShort();
				}
				default -> throw new IOException("Unknown constant pool tag " + tag);
			}
		}
		Set<String> names = new TreeSet<>();
		for (int index : classIndexes) {
			String name = utf8[index];
			addDescriptorClasses(name.startsWith("[") ? name : "L" + name + ";", names);
		}
		for (int index : descriptorIndexes) {
			addDescriptorClasses(utf8[index], names);
		}
		// Field and method descriptors and signatures also sit in the pool as plain UTF-8 entries.
		for (String entry : utf8) {
			if (entry != null && (entry.startsWith("(") || entry.startsWith("L") || entry.startsWith("<"))) {
				addDescriptorClasses(entry, names);
			}
		}
		return names;
	}

	private static void addDescriptorClasses(String descriptor, Set<String> names) {
		Matcher matcher = CLASS_IN_DESCRIPTOR.matcher(descriptor);
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
	}

}
