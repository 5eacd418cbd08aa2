/** HTML reports: the generic page renderer and the standard report of one run. */
export { renderHtmlReport, escapeHtml, type HtmlReportInput, type HtmlSection, type HtmlTable } from './html-page.js';
export { runReport } from './run-report.js';
