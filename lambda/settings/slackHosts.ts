/** Slack's hosts for response URLs, GovSlack's included. https://slack.com/help/articles/4405202540947 */
export const SLACK_RESPONSE_URL_PREFIXES = ['https://hooks.slack.com/', 'https://hooks.slack-gov.com/'];
