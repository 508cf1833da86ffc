// Package deploytest tests the deployment files of deploy/ with the real
// programs: Debian's nginx, configured with deploy/nginx, in front of two
// processes of the portal on one database, as in production. It holds
// only tests.
package deploytest
