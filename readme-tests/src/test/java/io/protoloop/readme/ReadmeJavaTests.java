package io.protoloop.readme;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;

import io.protoloop.boot.autoconfigure.ProtoloopAutoConfiguration;
import io.protoloop.boot.test.ProtocolEndpointTest;
import io.protoloop.readme.Readme.Block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The README's ```java blocks compile against this build ({@link CompiledReadme}), and the ones a reader runs
 * work: the Spring Boot protocol serves the endpoint the README's {@code application.yml} describes, the test-kit
 * example test passes, and the program of "A first protocol without Spring" echoes and stops.
 */
@Timeout(120)
class ReadmeJavaTests {

	private static final String SPRING_SECTION = "In a Spring Boot application";

	private static final String PLAIN_SECTION = "A first protocol without Spring";

	private static final byte[] HELLO = "hello, protoloop\n".getBytes(StandardCharsets.UTF_8);

	@Test
	void everyJavaBlockCompilesCleanlyAgainstTheModules() {
		assertThat(Readme.blocks("java")).as("```java blocks in the README").isNotEmpty();
		assertThat(CompiledReadme.get().readmeTypes()).isNotEmpty();
	}

	@Test
	void theSpringProtocolServesTheEndpointTheReadmesApplicationYmlDescribes() {
		Block yaml = first("yaml", SPRING_SECTION);
		Map<String, Class<?>> endpoints = CompiledReadme.get().endpointClasses();
		Map<String, String> configured = ReadmeYaml.endpoints(yaml);
		assertThat(configured).as("endpoints of the " + yaml).isNotEmpty();
		String name = configured.keySet().iterator().next();
		Class<?> protocol = endpoints.get(name);
		assertThat(protocol).as("the README's @ProtocolEndpoint(\"" + name + "\") class").isNotNull();
		assertThat(CompiledReadme.get().readmeTypes()).containsValue(protocol);
		new ApplicationContextRunner().withClassLoader(CompiledReadme.get().classLoader())
			.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class, LifecycleAutoConfiguration.class))
			.withInitializer((context) -> {
				MutablePropertySources sources = context.getEnvironment().getPropertySources();
				ReadmeYaml.load(yaml).forEach(sources::addLast);
				// The one change to the README's configuration: port 0, so the test never collides with a running demo.
				sources.addFirst(new MapPropertySource("test-port",
						Map.of("protoloop.endpoints." + name + ".port", 0)));
			})
			.withUserConfiguration(protocol)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				int port = context.getEnvironment()
					.getRequiredProperty("local.protoloop.endpoints." + name + ".port", Integer.class);
				assertThat(echo(port, HELLO)).isEqualTo(HELLO);
			});
	}

	@Test
	void theTestKitExampleTestPasses() throws Exception {
		List<Method> tests = new ArrayList<>();
		for (Class<?> type : CompiledReadme.get().readmeTypes().values()) {
			if (type.isAnnotationPresent(ProtocolEndpointTest.class)) {
				// A Spring test, compiled only: boot-test's NamedEndpointSliceTests runs the same pattern.
				continue;
			}
			for (Method method : type.getDeclaredMethods()) {
				if (method.isAnnotationPresent(Test.class)) {
					tests.add(method);
				}
			}
		}
		assertThat(tests).as("@Test methods in the README").isNotEmpty();
		for (Method test : tests) {
			Constructor<?> constructor = test.getDeclaringClass().getDeclaredConstructor();
			constructor.setAccessible(true);
			test.setAccessible(true);
			try {
				test.invoke(constructor.newInstance());
			}
			catch (InvocationTargetException ex) {
				throw new AssertionError("The README's test " + test.getDeclaringClass().getSimpleName() + "."
						+ test.getName() + " fails: " + ex.getCause(), ex.getCause());
			}
		}
	}

	@Test
	void theProgramWithoutSpringEchoesUntilItIsStopped() throws Exception {
		Block block = first("java", PLAIN_SECTION);
		Method main = CompiledReadme.get().typeOf(block).getMethod("main", String[].class);
		assertThat(Modifier.isStatic(main.getModifiers())).isTrue();
		int port = freePort();
		AtomicReference<Throwable> ended = new AtomicReference<>();
		Thread program = new Thread(() -> {
			try {
				main.invoke(null, (Object) new String[] { String.valueOf(port) });
				ended.set(new AssertionError("main returned while the server should serve forever"));
			}
			catch (InvocationTargetException ex) {
				ended.set(ex.getCause());
			}
			catch (ReflectiveOperationException ex) {
				ended.set(ex);
			}
		}, "readme-echo-server");
		program.start();
		try {
			assertThat(echo(port, HELLO)).as("what the program echoes on the port it was given").isEqualTo(HELLO);
		}
		catch (ConnectException ex) {
			throw new AssertionError("The program of the " + block + " does not listen on the port given as its "
					+ "first argument (" + port + ")", ex);
		}
		finally {
			// As Ctrl-C would: the blocked get() throws, and try-with-resources closes the group.
			program.interrupt();
			program.join(Duration.ofSeconds(30).toMillis());
		}
		assertThat(program.isAlive()).as("the program still runs 30 s after it was interrupted").isFalse();
		assertThat(ended.get()).as("how main ended").isInstanceOf(InterruptedException.class);
		awaitRefused(port);
	}

	private static Block first(String language, String section) {
		return Readme.blocks(language)
			.stream()
			.filter((block) -> block.section().equals(section))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No ```" + language + " block in the README's section \"" + section
					+ "\""));
	}

	/** Connects (retrying while the server comes up), sends {@code data} and reads as many bytes back. */
	private static byte[] echo(int port, byte[] data) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (true) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
				socket.setSoTimeout(10_000);
				OutputStream out = socket.getOutputStream();
				out.write(data);
				out.flush();
				InputStream in = socket.getInputStream();
				return in.readNBytes(data.length);
			}
			catch (ConnectException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				Thread.sleep(50);
			}
		}
	}

	private static void awaitRefused(int port) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
			}
			catch (IOException refused) {
				return;
			}
			Thread.sleep(50);
		}
		fail("Port " + port + " still accepts connections 10 s after the program stopped");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
