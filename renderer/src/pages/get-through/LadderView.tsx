// The ladder as Smart connect walked it: each rung tried, blocked or through, and the outcome in words.
import Alert from '@mui/material/Alert';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import type { SmartConnectResult } from '../../../../app/contract/probe.js';

export function LadderView({ result }: { result: SmartConnectResult }) {
  const outcomes = result.steps.filter((step) => step.status !== 'trying');
  return (
    <>
      <Stepper orientation="vertical" sx={{ mt: 2 }} aria-label="Ladder">
        {outcomes.map((step) => (
          <Step key={`${step.rung}-${step.index}`} completed={step.status === 'through'} active={false}>
            <StepLabel error={step.status === 'blocked'} optional={step.ms === undefined ? undefined : `${(step.ms / 1000).toFixed(1)} s`}>
              {step.sentence}
            </StepLabel>
          </Step>
        ))}
      </Stepper>
      <Alert severity={result.rung === undefined ? 'error' : 'success'} sx={{ mt: 1 }}>
        {result.sentence}
        {result.startedAt !== undefined && result.rung !== undefined && result.startedAt === result.rung && outcomes.length === 1 && ' (started with what worked here last time)'}
      </Alert>
      {result.rung !== undefined && (result.proxyOnly ?? []).length > 0 && (
        <Alert severity="info" sx={{ mt: 1 }}>
          Not tried: {(result.proxyOnly ?? []).join(', ')}. Those profiles are in proxy mode, which leaves every other program outside the kill
          switch while it tries; import them with Mode system to let Smart connect use them.
        </Alert>
      )}
    </>
  );
}
