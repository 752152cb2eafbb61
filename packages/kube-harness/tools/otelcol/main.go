// Command otelcol is the OpenTelemetry Collector of the one-node cluster: the OTLP receiver
// (gRPC 4317, HTTP 4318), the debug exporter, and an OTLP-JSON exporter that writes every batch
// of spans as one line of OTLP JSON (the format of the fileexporter), to standard output by
// default, so `kubectl logs` shows the traces and a test can read them. Nothing else is compiled
// in: the collector's builder would generate the same wiring (otelcol.NewCommand over the
// factories), for more components than the cluster needs.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"sync"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configtelemetry"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/provider/envprovider"
	"go.opentelemetry.io/collector/confmap/provider/fileprovider"
	"go.opentelemetry.io/collector/confmap/provider/yamlprovider"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/debugexporter"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/otelcol"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/receiver/otlpreceiver"
	"go.opentelemetry.io/collector/service/telemetry"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// version is stamped by the build (-X main.version=…): the collector modules' release.
var version = "dev"

func main() {
	info := component.BuildInfo{
		Command:     "otelcol",
		Description: "Expe's OpenTelemetry Collector: OTLP in, OTLP JSON lines and debug out",
		Version:     version,
	}
	settings := otelcol.CollectorSettings{
		BuildInfo: info,
		Factories: factories,
		ConfigProviderSettings: otelcol.ConfigProviderSettings{
			ResolverSettings: confmap.ResolverSettings{
				ProviderFactories: []confmap.ProviderFactory{
					fileprovider.NewFactory(),
					envprovider.NewFactory(),
					yamlprovider.NewFactory(),
				},
			},
		},
	}
	if err := otelcol.NewCommand(settings).Execute(); err != nil {
		log.Fatalf("collector: %v", err)
	}
}

func factories() (otelcol.Factories, error) {
	var factories otelcol.Factories
	var err error
	if factories.Receivers, err = otelcol.MakeFactoryMap(otlpreceiver.NewFactory()); err != nil {
		return factories, err
	}
	if factories.Exporters, err = otelcol.MakeFactoryMap(debugexporter.NewFactory(), newOTLPJSONFactory()); err != nil {
		return factories, err
	}
	factories.Telemetry = newTelemetryFactory()
	return factories, nil
}

// telemetryConfig is `service::telemetry`: the collector's own log level. Its own metrics and
// traces are not served (metrics.level must be none). The stock factory (otelconftelemetry) would
// serve them, and would compile in client-go and the cloud resource detectors: a fifth of the
// build, for telemetry about the collector that the cluster never reads.
type telemetryConfig struct {
	Logs struct {
		Level zapcore.Level `mapstructure:"level"`
	} `mapstructure:"logs"`
	Metrics struct {
		Level configtelemetry.Level `mapstructure:"level"`
	} `mapstructure:"metrics"`
}

func (c *telemetryConfig) Validate() error {
	if c.Metrics.Level != configtelemetry.LevelNone {
		return fmt.Errorf("metrics::level: this collector serves no metrics of its own; set it to none (got %s)", c.Metrics.Level)
	}
	return nil
}

func newTelemetryFactory() telemetry.Factory {
	return telemetry.NewFactory(
		func() component.Config {
			config := &telemetryConfig{}
			config.Logs.Level = zapcore.InfoLevel
			config.Metrics.Level = configtelemetry.LevelNone
			return config
		},
		telemetry.WithCreateLogger(func(_ context.Context, set telemetry.LoggerSettings, cfg component.Config) (*zap.Logger, component.ShutdownFunc, error) {
			zapConfig := zap.NewProductionConfig()
			zapConfig.Level = zap.NewAtomicLevelAt(cfg.(*telemetryConfig).Logs.Level)
			build := set.BuildZapLogger
			if build == nil {
				build = func(c zap.Config, options ...zap.Option) (*zap.Logger, error) { return c.Build(options...) }
			}
			logger, err := build(zapConfig)
			if err != nil {
				return nil, nil, err
			}
			return logger, func(context.Context) error { _ = logger.Sync(); return nil }, nil
		}),
	)
}

// otlpJSONConfig is the otlpjson exporter's configuration: where the lines go.
type otlpJSONConfig struct {
	// Path of the file the lines are appended to; empty means standard output.
	Path string `mapstructure:"path"`
}

func newOTLPJSONFactory() exporter.Factory {
	return exporter.NewFactory(
		component.MustNewType("otlpjson"),
		func() component.Config { return &otlpJSONConfig{} },
		exporter.WithTraces(createOTLPJSONTraces, component.StabilityLevelDevelopment),
	)
}

// otlpJSONWriter writes one batch per line; a mutex keeps concurrent batches from interleaving.
type otlpJSONWriter struct {
	mu        sync.Mutex
	out       io.Writer
	close     func() error
	marshaler ptrace.JSONMarshaler
}

func createOTLPJSONTraces(ctx context.Context, set exporter.Settings, cfg component.Config) (exporter.Traces, error) {
	config := cfg.(*otlpJSONConfig)
	writer := &otlpJSONWriter{out: os.Stdout, close: func() error { return nil }}
	if config.Path != "" {
		file, err := os.OpenFile(config.Path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return nil, fmt.Errorf("otlpjson: path %q: %w", config.Path, err)
		}
		writer.out, writer.close = file, file.Close
	}
	return exporterhelper.NewTraces(ctx, set, cfg, writer.pushTraces,
		exporterhelper.WithCapabilities(consumer.Capabilities{MutatesData: false}),
		exporterhelper.WithShutdown(func(context.Context) error { return writer.close() }),
	)
}

func (w *otlpJSONWriter) pushTraces(_ context.Context, traces ptrace.Traces) error {
	line, err := w.marshaler.MarshalTraces(traces)
	if err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	_, err = w.out.Write(append(line, '\n'))
	return err
}
