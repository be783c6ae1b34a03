namespace CrmIntegration.Simulator.State;

/// <summary>The callback switches as they stand.</summary>
public sealed record CallbackSwitches(int DropNext, int DuplicateNext, int DelayMilliseconds, bool ReorderNext, bool Holding);
