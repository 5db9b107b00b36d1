/** A count the service function writes under its `service` dimension alone, summed as the dashboard and alarms read it. */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SERVICE_METRIC_NAMESPACE, SERVICE_NAME } from '../lambda/handler/serviceMetrics';

export function serviceCount(metricName: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: SERVICE_METRIC_NAMESPACE,
    metricName,
    statistic: 'Sum',
    period: Duration.minutes(5),
    dimensionsMap: { service: SERVICE_NAME },
  });
}
