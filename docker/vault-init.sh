#!/bin/sh
# Writes the platform's secret paths into the dev Vault of compose.yaml.
set -eu
vault kv put secret/gateway/api-keys keys=compose-api-key-0123456789abcdef
vault kv put secret/email/smtp username=gateway password=mailpit-accepts-any-0123
vault kv put secret/storage/aws access_key=minio-access secret_key=minio-secret-0123456789
vault kv put secret/sms/twilio username=AC00000000000000000000000000000000 password=unused-in-compose
# the compose Elasticsearch runs without security and ignores the key
vault kv put secret/search/elasticsearch api_key=unused-security-off
echo "secrets written"
