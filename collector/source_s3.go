package collector

import (
	"context"
	"fmt"

	"go.uber.org/zap"

	"github.com/tpserver/tpserver/config"
)

// newS3Source is replaced by the S3 implementation.
func newS3Source(ctx context.Context, src config.Source, conn *config.Connection, log *zap.Logger) (source, error) {
	return nil, fmt.Errorf("%s: source type aws_s3_bucket is not supported yet", src.Pos)
}
