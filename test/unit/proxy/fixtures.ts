import { type ClassifiedRequest, classifyRequest } from '../../support/proxy/operations.js';

/** A classified request as the proxy would see it, from a method and a URL. */
export const request = (
  method: string,
  url: string,
  headers: Record<string, string> = {},
): ClassifiedRequest => classifyRequest({ method, url, headers });

export const getObject = (key = 'k'): ClassifiedRequest => request('GET', `/b/${key}`);
export const putObject = (key = 'k'): ClassifiedRequest => request('PUT', `/b/${key}`);
export const describeKey = (): ClassifiedRequest =>
  request('POST', '/', { 'x-amz-target': 'TrentService.DescribeKey' });
