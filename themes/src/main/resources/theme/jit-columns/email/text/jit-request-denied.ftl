<#ftl output_format="plainText">
${msg("jitRequestDeniedBodyText", request.datasource, decision.approver.username)}
<#if decision.comment?has_content>
${msg("jitEmailComment")}: ${decision.comment}
</#if>

${msg("jitEmailOpenAccount")}: ${link}
