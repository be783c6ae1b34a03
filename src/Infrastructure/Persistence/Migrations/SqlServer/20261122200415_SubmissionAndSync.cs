using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmIntegration.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SubmissionAndSync : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "creator_user_id",
                table: "approval_instance",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "submission_state",
                table: "approval_instance",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Submitted"); // approvals that existed before this column were all in WeCom

            migrationBuilder.AddColumn<string>(
                name: "sync_lease_owner",
                table: "approval_instance",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "sync_lease_until",
                table: "approval_instance",
                type: "datetimeoffset",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "creator_user_id",
                table: "approval_instance");

            migrationBuilder.DropColumn(
                name: "submission_state",
                table: "approval_instance");

            migrationBuilder.DropColumn(
                name: "sync_lease_owner",
                table: "approval_instance");

            migrationBuilder.DropColumn(
                name: "sync_lease_until",
                table: "approval_instance");
        }
    }
}
