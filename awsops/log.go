package awsops

import (
	"context"
	"errors"
	"log/slog"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The call log (--debug) records, for each AWS call, only what a person
// debugging needs and nothing a request or an answer carries: the service,
// the operation, how long it took, the AWS error code and the request id.
// Parameters and bodies are never read, so no password, secret access key
// or MFA seed can reach it; the SDK's own wire logging stays off.

// logCalls adds the call log to an SDK client's middleware stack.
func logCalls(logger *slog.Logger) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("awssecureCallLog",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				start := time.Now()
				out, md, err := next.HandleInitialize(ctx, in)
				attrs := []slog.Attr{
					slog.String("service", awsmiddleware.GetServiceID(ctx)),
					slog.String("operation", awsmiddleware.GetOperationName(ctx)),
					slog.Duration("took", time.Since(start)),
				}
				if id, ok := awsmiddleware.GetRequestIDMetadata(md); ok {
					attrs = append(attrs, slog.String("request_id", id))
				}
				level := slog.LevelDebug
				if err != nil {
					level = slog.LevelWarn
					attrs = append(attrs, slog.String("error", errorCode(err)))
					attrs = append(attrs, notAnAnswer(err)...)
				}
				logger.LogAttrs(ctx, level, "aws call", attrs...)
				return out, md, err
			}), middleware.After)
	}
}

// errorCode names a failure without its message: AWS messages can quote
// the values sent.
func errorCode(err error) string {
	var apiErr smithy.APIError
	switch {
	case errors.As(err, &apiErr):
		return apiErr.ErrorCode()
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	if kind := kindOf(err); kind != nil {
		return kind.Error()
	}
	return "other"
}

// notAnAnswer is, for an answer that was not in the API's format (see
// ErrNotOffered), its HTTP status and the SDK's words on why it could not
// be read: what a person debugging an emulator or a proxy needs, and
// nothing a request carried (the SDK's words quote the answer's first
// character, never the request).
func notAnAnswer(err error) []slog.Attr {
	var bad *smithy.DeserializationError
	if !errors.As(err, &bad) {
		return nil
	}
	attrs := []slog.Attr{slog.String("answer", bad.Error())}
	var resp *smithyhttp.ResponseError
	if errors.As(err, &resp) {
		attrs = append([]slog.Attr{slog.Int("http_status", resp.HTTPStatusCode())}, attrs...)
	}
	return attrs
}
