namespace CrmIntegration.Simulator.State;

public sealed record OpenApprovalSnapshot(
    string ThirdNo,
    string OpenTemplateId,
    string OpenSpName,
    int OpenSpStatus,
    DateTimeOffset ApplyTime,
    string ApplyUserId,
    string ApproverUserId,
    int ApproverStep);
