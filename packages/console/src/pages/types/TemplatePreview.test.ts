import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.ts';
import { templateProblems } from './TemplatePreview.tsx';

describe('templateProblems', () => {
  it('names what the API says about the template', () => {
    expect(templateProblems(new ApiError(422, 'validation_failed', 'bad', [{ path: 'template', message: 'invalid MJML' }]))).toEqual(['invalid MJML']);
    expect(templateProblems(new ApiError(400, 'validation_failed', 'bad', [{ path: 'body.template', message: 'x' }]))).toEqual(['x']);
    expect(templateProblems(new ApiError(422, 'unprocessable', 'whole message'))).toEqual(['whole message']);
  });

  it('leaves other errors alone', () => {
    expect(templateProblems(new ApiError(400, 'validation_failed', 'bad', [{ path: 'description', message: 'too long' }]))).toBeUndefined();
    expect(templateProblems(new ApiError(0, 'network', 'down'))).toBeUndefined();
    expect(templateProblems(new Error('x'))).toBeUndefined();
  });
});
