import java.util.Arrays;
import java.util.Optional;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.dotmac.integrations.core.Settings;
import org.dotmac.integrations.health.ProviderBreakers;

/**
 * Benchmark 4: the latency a provider route's circuit breaker adds per call, closed and open with the
 * fallback serving. Three routes shaped like the gateway's provider routes (doTry around the call,
 * CallNotPermittedException caught), with a provider that answers at once: without a breaker, with a
 * closed one, with a forced-open one. The breakers are the gateway's own (ProviderBreakers, default
 * settings). Calls are timed one by one with System.nanoTime, in interleaved rounds, in one thread.
 * Usage: java -cp 'target/classes:target/lib/*' bench/BreakerOverhead.java [calls per round] [rounds]
 */
public class BreakerOverhead {

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ProviderBreakers breakers = new ProviderBreakers(new Settings(key -> Optional.empty()), new SimpleMeterRegistry());
        CircuitBreaker closed = breakers.breaker("bench", "closed");
        CircuitBreaker open = breakers.breaker("bench", "open");
        open.transitionToForcedOpenState();
        Processor provider = exchange -> exchange.getMessage().setBody("sent");
        Processor fallback = exchange -> exchange.getMessage().setBody("fallback");
        try (CamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("breaker-closed", closed);
            context.getRegistry().bind("breaker-open", open);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:plain").doTry().process(provider).doCatch(CallNotPermittedException.class).process(fallback).end();
                    for (String state : new String[] {"closed", "open"}) {
                        from("direct:" + state).doTry()
                                .circuitBreaker().resilience4jConfiguration().circuitBreaker("breaker-" + state)
                                .throwExceptionWhenHalfOpenOrOpenState(true).end()
                                .process(provider).endCircuitBreaker().endDoTry()
                                .doCatch(CallNotPermittedException.class).process(fallback).end();
                    }
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            String[] routes = {"direct:plain", "direct:closed", "direct:open"};
            for (String route : routes) {
                time(template, route, calls); // warm-up
            }
            long[][] samples = new long[routes.length][];
            for (int round = 0; round < rounds; round++) {
                for (int r = 0; r < routes.length; r++) {
                    long[] times = time(template, routes[r], calls);
                    samples[r] = samples[r] == null ? times : concat(samples[r], times);
                }
            }
            StringBuilder json = new StringBuilder("{\"benchmark\":\"breaker-overhead\",\"calls\":" + (long) calls * rounds + ",\"routes\":{");
            double[] p50 = new double[routes.length];
            for (int r = 0; r < routes.length; r++) {
                long[] s = samples[r];
                Arrays.sort(s);
                p50[r] = s[s.length / 2] / 1000.0;
                json.append(r == 0 ? "" : ",").append(String.format("\"%s\":{\"p50Us\":%.3f,\"p90Us\":%.3f,\"p99Us\":%.3f,\"p999Us\":%.3f}",
                        routes[r].substring(7), p50[r], s[(int) (s.length * 0.9)] / 1000.0, s[(int) (s.length * 0.99)] / 1000.0,
                        s[(int) (s.length * 0.999)] / 1000.0));
            }
            json.append(String.format("},\"addedP50Us\":{\"closed\":%.3f,\"open\":%.3f},\"targetAddedP50Us\":100}",
                    p50[1] - p50[0], p50[2] - p50[0]));
            System.out.println(json);
            if (!"sent".equals(template.requestBody("direct:closed", "x")) || !"fallback".equals(template.requestBody("direct:open", "x"))) {
                throw new IllegalStateException("the routes did not answer as expected");
            }
        }
    }

    private static long[] time(ProducerTemplate template, String route, int calls) {
        long[] times = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            template.requestBody(route, "x");
            times[i] = System.nanoTime() - start;
        }
        return times;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
