package org.dotmac.integrations.support;

import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider we cannot run here, played by WireMock on loopback. After each test every request it
 * received, and its answer, is checked against the vendor's official contract, and a violation fails that test;
 * then the double goes back to its normal answer.
 */
public abstract class ContractDouble implements AfterEachCallback, AfterAllCallback {

    protected final WireMockServer server;
    private final ContractValidator contract;

    protected ContractDouble(String contract) {
        this(ContractValidator.forContract(contract));
    }

    protected ContractDouble(ContractValidator contract) {
        this.contract = contract;
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The provider's normal, successful answer. */
    public abstract void accept();

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> violations = new ArrayList<>();
        server.getAllServeEvents().forEach(event -> violations.addAll(contract.violations(event)));
        server.resetRequests();
        accept();
        assertThat(violations).as("requests and answers that break the provider's contract").isEmpty();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.stop();
    }
}
